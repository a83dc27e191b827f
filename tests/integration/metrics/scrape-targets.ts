/**
 * What Prometheus would scrape, read from the generated objects only: every PodMonitor endpoint
 * resolved to the container port it selects (in the workloads' pod templates, and in the Envoy
 * proxy pods Envoy Gateway creates for a Gateway), and every ScrapeConfig target resolved to the
 * exporter the Ansible inventory binds to that address. A monitor that selects nothing, or a
 * target nothing listens on, yields no target, so its metrics count as missing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { K8sObject } from '../../../policies/manifest.js';
import { matchesLabels } from '../../../policies/manifest.js';
import type { EnvoyGatewaySource } from './envoy-gateway-source.js';

/** A container (or VM service) some monitor scrapes. */
export interface ScrapeTarget {
  /** Which monitor and endpoint selects it, for messages. */
  readonly monitor: string;
  /** The program behind the port: an image repository, `envoy`, or a Debian exporter binary. */
  readonly program: string;
  /** How the manifest configures it (container env and args; the VM's ARGS). */
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
}

interface PodLike {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly containers: ReadonlyArray<{ image: string; env?: Array<{ name: string; value?: string }>; args?: string[]; ports?: Array<{ name?: string; containerPort: number }> }>;
}

function workloadPods(objects: readonly K8sObject[]): PodLike[] {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
    .map((o) => ({ namespace: o.metadata.namespace ?? '', labels: o.spec.template.metadata.labels ?? {}, containers: o.spec.template.spec.containers }));
}

/** The proxy pods Envoy Gateway runs for each Gateway of an envoy GatewayClass. */
function envoyProxyPods(objects: readonly K8sObject[], eg: EnvoyGatewaySource): PodLike[] {
  const classes = new Set(objects.filter((o) => o.kind === 'GatewayClass' && o.spec.controllerName === eg.controllerName).map((o) => o.metadata.name));
  return objects
    .filter((o) => o.kind === 'Gateway' && classes.has(o.spec.gatewayClassName))
    .map((g) => ({
      // Envoy Gateway's default deploys the proxies into its own namespace, the Gateway's here.
      namespace: g.metadata.namespace ?? '',
      labels: { ...eg.proxyLabels, [eg.owningGatewayNameLabel]: g.metadata.name, [eg.owningGatewayNamespaceLabel]: g.metadata.namespace ?? '' },
      containers: [{ image: 'envoy', ports: [{ name: eg.statsPortName, containerPort: eg.statsPort }] }],
    }));
}

function envOf(container: PodLike['containers'][number]): Record<string, string> {
  return Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
}

/** Image reference without registry and tag: `oliver006/redis_exporter`, `soketi/soketi`. */
export function imageRepository(image: string): string {
  const noTag = image.replace(/@.*$/, '').replace(/:[^/]*$/, '');
  const parts = noTag.split('/');
  if (parts.length > 1 && /[.:]/.test(parts[0]!)) parts.shift();
  return parts.join('/');
}

function podMonitorTargets(objects: readonly K8sObject[], pods: readonly PodLike[]): ScrapeTarget[] {
  const targets: ScrapeTarget[] = [];
  for (const pm of objects.filter((o) => o.kind === 'PodMonitor')) {
    const namespaces: string[] = pm.spec.namespaceSelector?.matchNames ?? [pm.metadata.namespace];
    const selected = pods.filter((p) => namespaces.includes(p.namespace) && selects(pm.spec.selector, p.labels));
    for (const endpoint of pm.spec.podMetricsEndpoints) {
      for (const pod of selected) {
        for (const c of pod.containers) {
          if (!(c.ports ?? []).some((port) => port.name === endpoint.port)) continue;
          targets.push({
            monitor: `PodMonitor ${pm.metadata.name} port ${endpoint.port}`,
            program: c.image === 'envoy' ? 'envoy' : imageRepository(c.image),
            env: envOf(c),
            args: c.args ?? [],
          });
        }
      }
    }
  }
  return targets;
}

function selects(selector: any, labels: Record<string, string>): boolean {
  const exprs: any[] = selector.matchExpressions ?? [];
  if (!selector.matchLabels && exprs.length === 0) return false;
  if (selector.matchLabels && !matchesLabels(selector.matchLabels, labels)) return false;
  return exprs.every((e) => (e.operator === 'In' ? e.values.includes(labels[e.key]) : e.operator === 'Exists' ? e.key in labels : !e.values.includes(labels[e.key])));
}

/**
 * The exporters the Ansible roles run on the database VMs: each role template
 * `prometheus-<name>.default.j2` sets ARGS with `--web.listen-address={{ var }}`; the inventory
 * gives that var per host. A ScrapeConfig target equal to one of those addresses is that exporter.
 */
function vmExporters(repoRoot: string, environment: string): Array<{ address: string; program: string; args: string[] }> {
  const inventory = parse(readFileSync(join(repoRoot, 'ansible/inventories', environment, 'hosts.yml'), 'utf8'));
  const hosts: Array<Record<string, unknown>> = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    for (const vars of Object.values<any>(node.hosts ?? {})) hosts.push({ ...(node.vars ?? {}), ...(vars ?? {}) });
    for (const child of Object.values<any>(node.children ?? {})) walk({ ...child, vars: { ...(node.vars ?? {}), ...(child?.vars ?? {}) } });
  };
  for (const group of Object.values<any>(inventory)) walk(group);
  const found: Array<{ address: string; program: string; args: string[] }> = [];
  const rolesDir = join(repoRoot, 'ansible/roles');
  for (const role of readdirSync(rolesDir)) {
    let templates: string[] = [];
    try { templates = readdirSync(join(rolesDir, role, 'templates')); } catch { continue; }
    for (const file of templates.filter((f) => /^prometheus-.+-exporter\.default\.j2$/.test(f))) {
      const text = readFileSync(join(rolesDir, role, 'templates', file), 'utf8');
      const args = text.match(/^ARGS="(.*)"$/m)?.[1] ?? '';
      const listenVar = args.match(/--web\.listen-address=\{\{\s*(\w+)\s*\}\}/)?.[1];
      if (!listenVar) continue;
      const program = file.replace(/^prometheus-/, '').replace(/\.default\.j2$/, '').replace(/-exporter$/, '_exporter');
      for (const host of hosts) {
        const address = host[listenVar];
        // The role's own flags; those set from variables (addresses, the credentials file) are
        // the host's, which the test replaces with its own.
        const ownFlags = args.replace(/\S*\{\{[^}]*\}\}\S*/g, ' ').split(/\s+/).filter((a) => a !== '');
        if (typeof address === 'string') found.push({ address, program, args: ownFlags });
      }
    }
  }
  return found;
}

function scrapeConfigTargets(objects: readonly K8sObject[], repoRoot: string, environment: string): ScrapeTarget[] {
  const exporters = vmExporters(repoRoot, environment);
  return objects.filter((o) => o.kind === 'ScrapeConfig').flatMap((sc) =>
    (sc.spec.staticConfigs ?? []).flatMap((group: any) => group.targets.flatMap((address: string) =>
      exporters.filter((e) => e.address === address).map((e) => ({
        monitor: `ScrapeConfig ${sc.metadata.name} ${address}`, program: e.program, env: {}, args: e.args,
      })))));
}

export function scrapeTargets(objects: readonly K8sObject[], eg: EnvoyGatewaySource, repoRoot: string, environment: string): ScrapeTarget[] {
  const pods = [...workloadPods(objects), ...envoyProxyPods(objects, eg)];
  return [...podMonitorTargets(objects, pods), ...scrapeConfigTargets(objects, repoRoot, environment)];
}
