/**
 * Platform services the app layer points at but does not deploy (the GitOps layer installs them):
 * kube-prometheus-stack (release "kube-prometheus-stack" in "monitoring") and KEDA (in "keda").
 * If the GitOps layer renames a release, this file is the one place to follow it.
 */
import { CLUSTER_DOMAIN } from './names.js';

export const PLATFORM_NAMESPACES = {
  monitoring: 'monitoring',
  keda: 'keda',
} as const;

/** kube-prometheus-stack's release name; its Prometheus selects monitors and rules by it. */
export const PROMETHEUS_RELEASE = 'kube-prometheus-stack';

/** Label that makes kube-prometheus-stack's Prometheus pick up a monitor, rule or scrape config. */
export const PROMETHEUS_SELECTOR_LABELS = { release: PROMETHEUS_RELEASE } as const;

/** Prometheus' in-cluster URL, as KEDA's operator (another namespace) reaches it. */
export const PROMETHEUS_URL =
  `http://${PROMETHEUS_RELEASE}-prometheus.${PLATFORM_NAMESPACES.monitoring}.svc.${CLUSTER_DOMAIN}:9090`;

/** Label the Grafana dashboard sidecar watches ConfigMaps for. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/** A Service's in-cluster DNS name, for clients in other namespaces (KEDA's operator). */
export function serviceFqdn(service: string, namespace: string, port: number): string {
  return `${service}.${namespace}.svc.${CLUSTER_DOMAIN}:${port}`;
}
