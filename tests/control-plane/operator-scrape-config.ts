/**
 * The Prometheus scrape job prometheus-operator generates for one endpoint of a ServiceMonitor or
 * PodMonitor, for a target the test runs on loopback. prometheus-operator itself does not run
 * here, so this models the rules of its generator (pkg/prometheus/promcfg.go) that decide which
 * labels a query sees:
 *   - the target gets `namespace` (of the Service or pod), `service` (ServiceMonitor), `pod`,
 *     `container`, `endpoint` (the port name) and `job` (the Service name for a ServiceMonitor,
 *     `<namespace>/<name>` for a PodMonitor, or the value of the monitor's `jobLabel`);
 *   - `honor_labels` is the endpoint's `honorLabels`, false by default: a label the program
 *     exposes that collides with a target label is renamed `exported_<label>`;
 *   - `metricRelabelings` become `metric_relabel_configs`, applied after that renaming.
 * Kubernetes service discovery is replaced by a static target carrying those labels.
 */
import type { K8sObject } from '../../policies/manifest.js';

export interface LoopbackTarget {
  /** host:port the test's process listens on. */
  readonly address: string;
  /** The pod (and its labels) this process stands for. */
  readonly pod: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly container: string;
  /** For a ServiceMonitor: the Service it selects (name and labels). */
  readonly service?: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
}

type RelabelConfig = Record<string, unknown>;

/** RelabelConfig as the CRD spells it (camelCase, actions any case) to Prometheus' YAML. */
function relabelConfig(r: RelabelConfig): RelabelConfig {
  const keys: Record<string, string> = { sourceLabels: 'source_labels', targetLabel: 'target_label' };
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [keys[k] ?? k, k === 'action' ? String(v).toLowerCase() : v]));
}

export function operatorScrapeJob(monitor: K8sObject, endpointIndex: number, target: LoopbackTarget): Record<string, unknown> {
  const isService = monitor.kind === 'ServiceMonitor';
  if (!isService && monitor.kind !== 'PodMonitor') throw new Error(`${monitor.kind} ${monitor.metadata.name}: not a ServiceMonitor or PodMonitor`);
  const endpoints = (isService ? monitor.spec.endpoints : monitor.spec.podMetricsEndpoints) as Array<Record<string, any>>;
  const endpoint = endpoints[endpointIndex];
  if (!endpoint) throw new Error(`${monitor.kind} ${monitor.metadata.name}: no endpoint ${endpointIndex}`);
  if (isService && !target.service) throw new Error(`ServiceMonitor ${monitor.metadata.name}: the target needs its Service`);
  const namespace = monitor.metadata.namespace as string;
  const jobLabel = monitor.spec.jobLabel as string | undefined;
  const jobFromLabel = jobLabel ? (isService ? target.service!.labels[jobLabel] : target.podLabels[jobLabel]) : undefined;
  const labels: Record<string, string> = {
    namespace: (monitor.spec.namespaceSelector?.matchNames?.[0] as string | undefined) ?? namespace,
    pod: target.pod,
    container: target.container,
    endpoint: String(endpoint.port ?? endpoint.targetPort ?? ''),
    job: jobFromLabel ?? (isService ? target.service!.name : `${namespace}/${monitor.metadata.name}`),
    ...(isService ? { service: target.service!.name } : {}),
  };
  return {
    job_name: `${isService ? 'serviceMonitor' : 'podMonitor'}/${namespace}/${monitor.metadata.name}/${endpointIndex}`,
    honor_labels: endpoint.honorLabels === true,
    scrape_interval: endpoint.interval ?? '15s',
    metrics_path: endpoint.path ?? '/metrics',
    static_configs: [{ targets: [target.address], labels }],
    ...(endpoint.metricRelabelings ? { metric_relabel_configs: (endpoint.metricRelabelings as RelabelConfig[]).map(relabelConfig) } : {}),
  };
}
