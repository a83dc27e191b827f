/**
 * Builds the architecture graph of one environment from what synth renders for it, so the
 * picture can only show what Flux would apply:
 * - Internet -> NodeBalancer: the Gateway's EnvoyProxy Service of type LoadBalancer (LKE turns it
 *   into NodeBalancers; how many the config plans is capacity.nodeBalancers);
 * - Gateway -> HTTPRoute -> Service: the routes' parentRefs and backendRefs;
 * - Service -> workload: the Service selector against each pod template's labels;
 * - workload -> Service: a flow the NetworkPolicies allow (policies/network-flows.ts
 *   evaluates them) to the Service's pods or, for Services without a selector, to the addresses
 *   of its EndpointSlices (the database VMs);
 * - DB VMs, their plan and replication: the database section of the config, matched to the
 *   EndpointSlice addresses by IP;
 * - Prometheus scrapes: PodMonitors' selectors and ScrapeConfigs' static targets;
 * - Flux layers: the Kustomizations and their dependsOn.
 * Labels come from the objects too (replica bounds from KEDA ScaledObjects, container names).
 */
import type { LoadedEnvironment } from '../../apps/config/index.js';
import { LINODE_PLANS } from '../../apps/config/index.js';
import { allowsFlow } from '../../policies/network-flows.js';
import type { K8sObject } from '../../policies/manifest.js';
import { DiagramBuilder, nodeId, type Diagram } from './graph.js';

/** A public address standing for "the Internet" when asking the NetworkPolicies about egress. */
const PUBLIC_ADDRESS = '1.1.1.1';
const LARAVEL_LABEL = 'platform.marketplace/laravel';
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job']);

interface Workload {
  readonly object: K8sObject;
  readonly id: string;
  readonly labels: Record<string, string>;
  readonly containers: any[];
}

function selectorMatches(selector: any, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e: any) => {
    if (e.operator === 'In') return (e.values as string[]).includes(labels[e.key] ?? '');
    if (e.operator === 'Exists') return e.key in labels;
    throw new Error(`diagram: selector operator ${e.operator} is not supported`);
  });
  return byLabels && byExpressions;
}

function plainSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function replicaText(workload: Workload, scaledObjects: K8sObject[]): string {
  const scaler = scaledObjects.find(
    (s) => s.spec?.scaleTargetRef?.name === workload.object.metadata.name && (s.spec?.scaleTargetRef?.kind ?? 'Deployment') === workload.object.kind,
  );
  if (scaler) {
    const triggers = (scaler.spec.triggers as any[]).map((t) => t.name ?? t.type).join(', ');
    return `${scaler.spec.minReplicaCount ?? 1}–${scaler.spec.maxReplicaCount} pods, KEDA: ${triggers}`;
  }
  if (workload.object.kind === 'Job') return 'Job, once per release';
  return `${workload.object.spec?.replicas ?? 1} pod${(workload.object.spec?.replicas ?? 1) === 1 ? '' : 's'}, fixed`;
}

/** Persistent volumes of a StatefulSet (name and size), from its volumeClaimTemplates. */
function volumeText(workload: Workload): string[] {
  const claims: any[] = workload.object.spec?.volumeClaimTemplates ?? [];
  if (claims.length === 0) return [];
  return [`volume: ${claims.map((c) => `${c.metadata.name} ${c.spec?.resources?.requests?.storage}`).join(', ')}`];
}

/** The numeric port a Service port reaches on a pod (named targetPorts resolved on the pod). */
function targetPort(port: any, workload: Workload): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  for (const c of workload.containers) {
    const match = (c.ports ?? []).find((p: any) => p.name === target);
    if (match) return match.containerPort;
  }
  return undefined;
}

export function buildDiagram(env: LoadedEnvironment, objects: readonly K8sObject[]): Diagram {
  const { config } = env;
  const ns = config.namespace;
  const d = new DiagramBuilder();
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const inNs = (o: K8sObject) => o.metadata.namespace === ns;

  // --- Groups --------------------------------------------------------------------------------
  const pools = config.cluster.pools
    .map((p) => `pool ${p.name}: ${p.type} ×${p.min}–${p.max}`)
    .join(', ');
  const cluster = d.group({
    id: 'cluster',
    title: `LKE ${config.cluster.label} · Kubernetes ${config.cluster.kubernetesVersion} · ${config.cluster.highAvailability ? 'HA' : 'single'} control plane · ${pools}`,
  });
  const gatewayGroup = d.group({ id: 'ns_gateway', title: 'namespace gateway', parent: cluster });
  const appGroup = d.group({ id: 'ns_app', title: `namespace ${ns}`, parent: cluster });
  const laravelGroup = d.group({ id: 'laravel', title: 'Laravel pods (the app images)', parent: appGroup });
  const monitoringGroup = d.group({ id: 'ns_monitoring', title: 'namespace monitoring', parent: cluster });
  const dbGroup = d.group({
    id: 'db_vms',
    title: `Linode VMs, VPC subnet ${config.network.databaseSubnet}: MariaDB ${config.database.version}`,
  });
  const fluxGroup = d.group({ id: 'flux', title: 'Flux layers (applied in order)' });

  // --- Edge: Internet, NodeBalancer, Gateway, routes --------------------------------------------
  d.node({ id: 'internet', lines: ['Internet', 'browsers, Pusher JS clients'], shape: 'circle' });
  // A Gateway's Envoy deployment and Service come from the EnvoyProxy its GatewayClass (or the
  // Gateway itself) references; a Service of type LoadBalancer is what LKE backs with NodeBalancers.
  const proxyOf = (gw: K8sObject): K8sObject | undefined => {
    const gwClass = of('GatewayClass').find((c) => c.metadata.name === gw.spec.gatewayClassName);
    const ref = gw.spec.infrastructure?.parametersRef ?? gwClass?.spec?.parametersRef;
    if (ref?.kind !== 'EnvoyProxy') return undefined;
    return of('EnvoyProxy').find((p) => p.metadata.name === ref.name && p.metadata.namespace === (ref.namespace ?? gw.metadata.namespace));
  };
  for (const gw of of('Gateway')) {
    const proxy = proxyOf(gw)?.spec?.provider?.kubernetes;
    const replicas = proxy?.envoyDeployment?.replicas;
    const listeners = (gw.spec.listeners as any[]).map((l) => `${l.protocol} :${l.port}${l.hostname ? ` ${l.hostname}` : ''}`);
    const gwId = d.node({
      id: nodeId('gateway', gw.metadata.name),
      lines: [`Gateway ${gw.metadata.name} (Envoy${replicas ? ` ×${replicas}` : ''})`, ...listeners],
      shape: 'box',
      group: gatewayGroup,
    });
    const svc = proxy?.envoyService;
    if (svc?.type !== 'LoadBalancer') continue;
    const protocol = svc.annotations?.['service.beta.kubernetes.io/linode-loadbalancer-default-protocol'] ?? 'http';
    const proxyProtocol = svc.annotations?.['service.beta.kubernetes.io/linode-loadbalancer-default-proxy-protocol'];
    const nb = d.node({
      id: nodeId('nodebalancer', gw.metadata.name),
      lines: [
        `Linode NodeBalancer ×${config.capacity.nodeBalancers}`,
        `${protocol.toUpperCase()} mode${proxyProtocol ? `, proxy protocol ${proxyProtocol}` : ''}`,
        `≈${config.capacity.connectionsPerNodeBalancer.toLocaleString('en-US')} connections each`,
      ],
      shape: 'box',
    });
    d.edge({ from: 'internet', to: nb, label: (gw.spec.listeners as any[]).map((l) => `:${l.port}`).filter((p, i, a) => a.indexOf(p) === i).join(' '), style: 'thick' });
    d.edge({ from: nb, to: gwId, style: 'thick' });
  }
  for (const route of of('HTTPRoute')) {
    const routeId = d.node({
      id: nodeId('route', route.metadata.namespace ?? '', route.metadata.name),
      lines: [`HTTPRoute ${route.metadata.name}`, ...(route.spec.hostnames ?? ['(redirect to HTTPS)'])],
      shape: 'rounded',
      group: route.metadata.namespace === ns ? appGroup : gatewayGroup,
    });
    for (const parent of route.spec.parentRefs ?? []) {
      d.edge({ from: nodeId('gateway', parent.name), to: routeId, label: parent.sectionName, style: 'solid' });
    }
  }

  // --- Workloads and Services -----------------------------------------------------------------
  const scaledObjects = of('ScaledObject').filter(inNs);
  const workloads: Workload[] = objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind) && inNs(o))
    .map((o) => ({
      object: o,
      id: nodeId('workload', o.metadata.name),
      labels: o.spec.template.metadata?.labels ?? {},
      containers: o.spec.template.spec.containers ?? [],
    }));
  for (const w of workloads) {
    const name = w.labels['app.kubernetes.io/name'] === 'migrations' ? 'migrations' : w.object.metadata.name;
    d.node({
      id: w.id,
      lines: [
        `${w.object.kind} ${name}`,
        replicaText(w, scaledObjects),
        `containers: ${w.containers.map((c) => c.name).join(', ')}`,
        ...volumeText(w),
      ],
      shape: 'box',
      group: w.labels[LARAVEL_LABEL] === 'true' ? laravelGroup : appGroup,
    });
  }

  const services = of('Service').filter((s) => inNs(s) && s.spec?.clusterIP !== 'None');
  const endpointSlices = of('EndpointSlice').filter(inNs);
  const dbHosts = [
    { ...config.database.primary, role: 'primary' },
    ...config.database.replicas.map((r) => ({ ...r, role: 'replica' })),
  ];
  const plan = LINODE_PLANS[config.database.plan];
  const planText = plan ? `${config.database.plan}, ${plan.vcpus} vCPU, ${plan.memoryMiB / 1024} GB` : config.database.plan;
  for (const host of dbHosts) {
    d.node({
      id: nodeId('vm', host.name),
      lines: [`${host.name} (${host.role})`, `${host.privateIp} · ${planText}`, 'mysqld_exporter :9104, node_exporter :9100'],
      shape: 'database',
      group: dbGroup,
    });
  }
  for (const replica of config.database.replicas) {
    d.edge({ from: nodeId('vm', config.database.primary.name), to: nodeId('vm', replica.name), label: 'async replication', style: 'dotted' });
  }
  const vmByIp = new Map(dbHosts.map((h) => [h.privateIp, nodeId('vm', h.name)]));

  for (const svc of services) {
    const ports = (svc.spec.ports as any[]).map((p) => `:${p.port}`).join(' ');
    const svcId = d.node({ id: nodeId('svc', svc.metadata.name), lines: [`Service ${svc.metadata.name}`, ports], shape: 'rounded', group: appGroup });
    if (svc.spec.selector) {
      for (const w of workloads.filter((w) => plainSelectorMatches(svc.spec.selector, w.labels))) d.edge({ from: svcId, to: w.id, style: 'solid' });
    } else {
      for (const slice of endpointSlices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name)) {
        for (const address of ((slice as any).endpoints as any[]).flatMap((e) => e.addresses as string[])) {
          const vm = vmByIp.get(address);
          if (!vm) throw new Error(`diagram: EndpointSlice ${slice.metadata.name} points at ${address}, which is no database host in ${env.file}`);
          d.edge({ from: svcId, to: vm, style: 'solid' });
        }
      }
    }
  }
  for (const route of of('HTTPRoute')) {
    for (const rule of route.spec.rules ?? []) {
      for (const backend of rule.backendRefs ?? []) {
        if ((backend.kind ?? 'Service') !== 'Service') continue;
        const target = nodeId('svc', backend.name);
        if (d.hasNode(target)) d.edge({ from: nodeId('route', route.metadata.namespace ?? '', route.metadata.name), to: target, label: `:${backend.port}`, style: 'solid' });
      }
    }
  }

  // --- Flows the NetworkPolicies allow from each workload -------------------------------------
  const podOf = (w: Workload) => ({ namespace: ns, labels: w.labels });
  const flowsFrom = (w: Workload): Map<string, string> => {
    const targets = new Map<string, string>(); // target id -> label
    for (const svc of services) {
      if (svc.spec.selector && plainSelectorMatches(svc.spec.selector, w.labels)) continue; // itself
      const allowedPorts = (svc.spec.ports as any[]).filter((port) => {
        if (svc.spec.selector) {
          return workloads
            .filter((t) => plainSelectorMatches(svc.spec.selector, t.labels))
            .some((t) => {
              const p = targetPort(port, t);
              return p !== undefined && allowsFlow(objects, { from: podOf(w), to: podOf(t), port: p });
            });
        }
        const addresses = endpointSlices
          .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name)
          .flatMap((s) => ((s as any).endpoints as any[]).flatMap((e) => e.addresses as string[]));
        return addresses.some((ip) => allowsFlow(objects, { from: podOf(w), to: { ip }, port: port.targetPort ?? port.port }));
      });
      if (allowedPorts.length > 0) targets.set(nodeId('svc', svc.metadata.name), allowedPorts.map((p) => `:${p.port}`).join(' '));
    }
    if (allowsFlow(objects, { from: podOf(w), to: { ip: PUBLIC_ADDRESS }, port: 443 })) targets.set('external_apis', ':443');
    return targets;
  };
  d.node({ id: 'external_apis', lines: ['External HTTPS APIs', 'eBay, Amazon, mail, ...'], shape: 'circle' });

  // Laravel pods share most of their flows: draw the common ones once, from the group.
  const laravel = workloads.filter((w) => w.labels[LARAVEL_LABEL] === 'true');
  const flows = new Map(workloads.map((w) => [w.id, flowsFrom(w)]));
  const common = laravel.length > 1
    ? [...flows.get(laravel[0]!.id)!.entries()].filter(([target, label]) => laravel.every((w) => flows.get(w.id)!.get(target) === label))
    : [];
  for (const [target, label] of common) d.edge({ from: laravelGroup, to: target, label, style: 'solid' });
  for (const w of workloads) {
    for (const [target, label] of flows.get(w.id)!) {
      if (laravel.includes(w) && common.some(([t]) => t === target)) continue;
      d.edge({ from: w.id, to: target, label, style: 'solid' });
    }
  }

  // --- Monitoring -----------------------------------------------------------------------------
  const prometheus = d.node({ id: 'prometheus', lines: ['Prometheus + Grafana', 'kube-prometheus-stack'], shape: 'box', group: monitoringGroup });
  for (const monitor of of('PodMonitor').filter(inNs)) {
    const namespaces: string[] | undefined = monitor.spec.namespaceSelector?.matchNames;
    if (namespaces && !namespaces.includes(ns)) continue;
    for (const w of workloads.filter((w) => selectorMatches(monitor.spec.selector, w.labels))) {
      d.edge({ from: prometheus, to: w.id, label: 'scrape', style: 'dotted' });
    }
  }
  for (const scrape of of('ScrapeConfig').filter(inNs)) {
    for (const target of (scrape.spec.staticConfigs ?? []).flatMap((c: any) => c.targets as string[])) {
      const vm = vmByIp.get(target.split(':')[0]!);
      if (vm) d.edge({ from: prometheus, to: vm, label: 'scrape', style: 'dotted' });
    }
  }

  // --- Flux layers ----------------------------------------------------------------------------
  const layers = of('Kustomization').filter((k) => k.apiVersion.startsWith('kustomize.toolkit.fluxcd.io'));
  for (const layer of layers) {
    const path = String(layer.spec.path).replace(`./environments/${env.name}/`, '');
    d.node({ id: nodeId('layer', layer.metadata.name), lines: [layer.metadata.name, path], shape: 'rounded', group: fluxGroup });
  }
  for (const layer of layers) {
    for (const dep of layer.spec.dependsOn ?? []) {
      d.edge({ from: nodeId('layer', dep.name), to: nodeId('layer', layer.metadata.name), style: 'solid' });
    }
  }
  return d.build();
}
