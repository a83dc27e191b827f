/** Recommended Kubernetes labels, the same on every object, so selectors and dashboards agree. */
import type { EnvironmentConfig } from '../../apps/config/index.js';

export const PART_OF = 'marketplace';

/** Labels that identify a component; used in selectors, so they never change on an upgrade. */
export function selectorLabels(component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/part-of': PART_OF,
  };
}

/** Selector labels plus descriptive ones (safe to change: not part of any selector). */
export function objectLabels(config: EnvironmentConfig, component: string, tier?: string): Record<string, string> {
  return {
    ...selectorLabels(component),
    ...(tier ? { 'app.kubernetes.io/component': tier } : {}),
    'app.kubernetes.io/managed-by': 'cdk8s',
    'platform.marketplace/environment': config.name,
  };
}
