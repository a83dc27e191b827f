/**
 * The config's measured peak figures, written as annotations on the objects they size, so the PR
 * diff can compare a change against the peak the base ref was sized for (the manifests alone do
 * not say how much load a maximum must carry). Annotations on an object's own metadata never
 * restart pods.
 */
import { connectionBudget } from '../rules/capacity-rules.js';
import type { EnvironmentConfig } from '../../apps/config/index.js';
import { peakEventsPerSecond } from './soketi-limits.js';

export const CAPACITY_ANNOTATIONS = {
  /** On Soketi's ScaledObject: capacity.peakConcurrentUsers (one websocket each). */
  peakConcurrentUsers: 'platform.marketplace/peak-concurrent-users',
  /** On Soketi's ScaledObject: peak backend events per second (users x events per minute / 60). */
  peakEventsPerSecond: 'platform.marketplace/peak-events-per-second',
  /** On each database Service: connections the app may open per server at maximum scale. */
  connectionsAtMaxScale: 'platform.marketplace/connections-at-max-scale',
} as const;

export function websocketPeakAnnotations(config: EnvironmentConfig): Record<string, string> {
  return {
    [CAPACITY_ANNOTATIONS.peakConcurrentUsers]: String(config.capacity.peakConcurrentUsers),
    [CAPACITY_ANNOTATIONS.peakEventsPerSecond]: String(peakEventsPerSecond(config)),
  };
}

export function databaseConnectionAnnotations(config: EnvironmentConfig): Record<string, string> {
  return { [CAPACITY_ANNOTATIONS.connectionsAtMaxScale]: String(connectionBudget(config).total) };
}
