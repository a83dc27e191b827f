/**
 * Soketi's per-app limits, derived from the environment's capacity figures. One function feeds
 * both the Soketi container's environment (SOKETI_DEFAULT_APP_*, charts/soketi-chart.ts) and the capacity invariant
 * (charts/rules/capacity-rules.ts), so the limits deployed are the limits checked.
 *
 * Soketi counts backend events (HTTP API triggers from Laravel, one point per channel) per app
 * across all pods (Redis rate limiter), and client events (whispers) per connection.
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';

/** Limits sit this far above the expected peak, so a normal burst is never throttled. */
export const SOKETI_RATE_LIMIT_HEADROOM = 1.5;

/** Peak events per second the app sends: users x events per user per minute / 60. */
export function peakEventsPerSecond(config: EnvironmentConfig): number {
  return Math.ceil((config.capacity.peakConcurrentUsers * config.capacity.eventsPerUserPerMinute) / 60);
}

/** Events per second one user's connection carries at peak. */
export function peakEventsPerUserPerSecond(config: EnvironmentConfig): number {
  return Math.ceil(config.capacity.eventsPerUserPerMinute / 60);
}

/** Events per second Soketi delivers at max replicas (soketi.eventsPerSecondPerPod each). */
export function soketiEventCapacity(config: EnvironmentConfig): number {
  return config.soketi.replicas.max * config.soketi.eventsPerSecondPerPod;
}

/** Connections the websocket path carries: Soketi at max replicas, and the NodeBalancers. */
export function websocketCapacity(config: EnvironmentConfig): { soketi: number; nodeBalancers: number; total: number } {
  const soketi = config.soketi.replicas.max * config.soketi.connectionsPerPod;
  const nodeBalancers = config.capacity.nodeBalancers * config.capacity.connectionsPerNodeBalancer;
  return { soketi, nodeBalancers, total: Math.min(soketi, nodeBalancers) };
}

export interface SoketiAppLimits {
  /** App-wide connection cap: what the fleet and the load balancers can hold. */
  readonly maxConnections: number;
  /** App-wide backend (HTTP API) events per second. */
  readonly maxBackendEventsPerSecond: number;
  /** Client events per second, per connection. */
  readonly maxClientEventsPerSecond: number;
}

export function soketiAppLimits(config: EnvironmentConfig): SoketiAppLimits {
  return {
    maxConnections: websocketCapacity(config).total,
    maxBackendEventsPerSecond: Math.ceil(peakEventsPerSecond(config) * SOKETI_RATE_LIMIT_HEADROOM),
    maxClientEventsPerSecond: Math.ceil(peakEventsPerUserPerSecond(config) * SOKETI_RATE_LIMIT_HEADROOM),
  };
}
