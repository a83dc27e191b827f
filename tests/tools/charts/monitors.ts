/**
 * Which rendered ServiceMonitors / PodMonitors scrape a workload, and whether a Prometheus CR
 * selects them, judged on the objects only (label selectors, Service selectors, port names and
 * numbers), as prometheus-operator and the Service controller would.
 */
import type { K8sObject } from '../../../policies/manifest.js';

type Labels = Readonly<Record<string, string>>;
interface Selector { matchLabels?: Labels; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }

/** A label selector (matchLabels + matchExpressions); `{}` selects everything. */
export function selects(selector: Selector | undefined, labels: Labels = {}): boolean {
  if (!selector) return false;
  const plain = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return plain && (selector.matchExpressions ?? []).every((e) => {
    const has = e.key in labels;
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key]!);
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]!);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: throw new Error(`unknown label selector operator ${e.operator}`);
    }
  });
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const NAME_LABEL = 'app.kubernetes.io/name';

interface ContainerPort { name?: string; containerPort: number }
interface Workload { ref: string; namespace: string; podLabels: Labels; ports: ContainerPort[] }

function namespaceOf(o: K8sObject, fallback: string): string {
  return o.metadata.namespace ?? fallback;
}

export function workloadsNamed(objects: readonly K8sObject[], name: string, namespace: string): Workload[] {
  return objects
    .filter((o) => WORKLOADS.has(o.kind) && (o.metadata.labels?.[NAME_LABEL] === name || o.spec?.template?.metadata?.labels?.[NAME_LABEL] === name))
    .map((o) => ({
      ref: `${o.kind}/${o.metadata.name}`,
      namespace: namespaceOf(o, namespace),
      podLabels: o.spec?.template?.metadata?.labels ?? {},
      ports: (o.spec?.template?.spec?.containers ?? []).flatMap((c: { ports?: ContainerPort[] }) => c.ports ?? []),
    }));
}

function portMatches(ports: readonly ContainerPort[], port: unknown): boolean {
  return ports.some((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port || String(p.containerPort) === port));
}

function monitorNamespaces(monitor: K8sObject, own: string, target: string): boolean {
  const ns = monitor.spec?.namespaceSelector;
  if (ns?.any === true) return true;
  if (Array.isArray(ns?.matchNames) && ns.matchNames.length > 0) return ns.matchNames.includes(target);
  return own === target;
}

/** "ServiceMonitor/x -> Service/y:port" for every monitor in `objects` that scrapes the workload. */
export function monitorsOf(objects: readonly K8sObject[], workload: Workload, namespace: string): Array<{ monitor: K8sObject; via: string }> {
  const found: Array<{ monitor: K8sObject; via: string }> = [];
  const services = objects.filter(
    (o) => o.kind === 'Service' && namespaceOf(o, namespace) === workload.namespace && o.spec?.selector && selects({ matchLabels: o.spec.selector }, workload.podLabels),
  );
  for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor')) {
    const own = namespaceOf(monitor, namespace);
    for (const svc of services) {
      if (!monitorNamespaces(monitor, own, workload.namespace) || !selects(monitor.spec?.selector, svc.metadata.labels)) continue;
      for (const ep of monitor.spec?.endpoints ?? []) {
        const port = (svc.spec.ports ?? []).find((p: { name?: string }) => ep.port !== undefined && p.name === ep.port);
        const target = ep.targetPort ?? (port ? port.targetPort ?? port.port : undefined);
        if (target !== undefined && portMatches(workload.ports, target)) {
          found.push({ monitor, via: `ServiceMonitor/${monitor.metadata.name} -> Service/${svc.metadata.name}:${ep.port ?? ep.targetPort} -> ${workload.ref}` });
        }
      }
    }
  }
  for (const monitor of objects.filter((o) => o.kind === 'PodMonitor')) {
    if (!monitorNamespaces(monitor, namespaceOf(monitor, namespace), workload.namespace) || !selects(monitor.spec?.selector, workload.podLabels)) continue;
    for (const ep of monitor.spec?.podMetricsEndpoints ?? []) {
      const target = ep.port ?? ep.portNumber ?? ep.targetPort;
      if (target !== undefined && portMatches(workload.ports, target)) {
        found.push({ monitor, via: `PodMonitor/${monitor.metadata.name}:${target} -> ${workload.ref}` });
      }
    }
  }
  return found;
}

/**
 * Whether the Prometheus CR picks the monitor up: its (Service|Pod)MonitorSelector matches the
 * monitor's labels, and its namespace selector the monitor's namespace (nil: only Prometheus' own
 * namespace, as prometheus-operator reads it). `namespaceLabels` holds each namespace's labels.
 */
export function prometheusSelects(prometheus: K8sObject, monitor: K8sObject, monitorNamespace: string, namespaceLabels: (ns: string) => Labels): boolean {
  const kind = monitor.kind === 'ServiceMonitor' ? 'serviceMonitor' : 'podMonitor';
  if (!selects(prometheus.spec?.[`${kind}Selector`], monitor.metadata.labels)) return false;
  const nsSelector = prometheus.spec?.[`${kind}NamespaceSelector`] as Selector | undefined;
  if (nsSelector === undefined || nsSelector === null) return monitorNamespace === prometheus.metadata.namespace;
  return selects(nsSelector, { ...namespaceLabels(monitorNamespace), 'kubernetes.io/metadata.name': monitorNamespace });
}
