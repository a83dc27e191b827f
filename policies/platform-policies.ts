/**
 * Policies over how objects fit together: default-deny networking, Secret references, and
 * Services/routes that point at something real.
 */
import { containers, matchesLabels, podTemplates, ref, type K8sObject, type Policy, type Violation } from './manifest.js';

/**
 * Every namespace that runs pods has a default-deny policy: all pods, both directions, no rules.
 * Allow policies then add the flows the app needs (network-flows.ts checks which).
 */
export const defaultDenyPolicy: Policy = (objects) => {
  const out: Violation[] = [];
  const namespaces = new Set(podTemplates(objects).map(({ owner }) => owner.metadata.namespace ?? ''));
  for (const ns of namespaces) {
    const deny = objects.find(
      (o) =>
        o.kind === 'NetworkPolicy' &&
        o.metadata.namespace === ns &&
        Object.keys(o.spec?.podSelector ?? {}).length === 0 &&
        ['Ingress', 'Egress'].every((t) => (o.spec?.policyTypes ?? []).includes(t)) &&
        !(o.spec?.ingress ?? []).length &&
        !(o.spec?.egress ?? []).length,
    );
    if (!deny) out.push({ object: `Namespace/${ns}`, reason: 'no default-deny NetworkPolicy (all pods, Ingress and Egress, no rules)' });
  }
  return out;
};

/** Every Secret a pod reads (env, envFrom, volume) is declared, with that key. */
export function secretReferencesPolicy(declared: ReadonlyMap<string, ReadonlySet<string>>): Policy {
  return (objects) => {
    const out: Violation[] = [];
    const check = (owner: K8sObject, name: string, key: string | undefined, where: string) => {
      const keys = declared.get(name);
      if (!keys) out.push({ object: `${ref(owner)} ${where}`, reason: `Secret "${name}" is not declared in charts/lib/secrets.ts` });
      else if (key !== undefined && !keys.has(key)) {
        out.push({ object: `${ref(owner)} ${where}`, reason: `Secret "${name}" declares no key "${key}"` });
      }
    };
    for (const { owner, container } of containers(objects)) {
      for (const env of container.env ?? []) {
        const s = env.valueFrom?.secretKeyRef;
        if (s) check(owner, s.name, s.key, `container ${container.name} env ${env.name}`);
      }
      for (const from of container.envFrom ?? []) {
        if (from.secretRef) check(owner, from.secretRef.name, undefined, `container ${container.name} envFrom`);
      }
    }
    for (const { owner, template } of podTemplates(objects)) {
      for (const v of template?.spec?.volumes ?? []) {
        if (v.secret) check(owner, v.secret.secretName, undefined, `volume ${v.name}`);
      }
    }
    return out;
  };
}

/** No Secret object in the output unless SOPS-encrypted (plaintext never reaches git). */
export const noPlaintextSecretsPolicy: Policy = (objects) =>
  objects
    .filter((o) => o.kind === 'Secret' && !('sops' in o))
    .map((o) => ({ object: ref(o), reason: 'a Secret that is not SOPS-encrypted' }));

/**
 * Services with a selector select pods that expose each numeric targetPort; selector-less
 * Services have an EndpointSlice; HTTPRoute backends are Services and ports that exist.
 */
export const serviceWiringPolicy: Policy = (objects) => {
  const out: Violation[] = [];
  const templates = podTemplates(objects);
  const services = objects.filter((o) => o.kind === 'Service');
  for (const svc of services) {
    const ns = svc.metadata.namespace;
    const selector = svc.spec?.selector;
    if (!selector) {
      const slice = objects.find(
        (o) => o.kind === 'EndpointSlice' && o.metadata.namespace === ns && o.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name,
      );
      if (!slice) out.push({ object: ref(svc), reason: 'has no selector and no EndpointSlice' });
      continue;
    }
    const selected = templates.filter((t) => t.owner.metadata.namespace === ns && matchesLabels(selector, t.template?.metadata?.labels));
    if (selected.length === 0) {
      out.push({ object: ref(svc), reason: 'selects no pods' });
      continue;
    }
    for (const port of svc.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const exposed = selected.some((t) =>
        (t.template.spec?.containers ?? []).some((c: any) =>
          (c.ports ?? []).some((p: any) => p.containerPort === target || p.name === target),
        ),
      );
      if (!exposed) out.push({ object: ref(svc), reason: `port ${port.name ?? port.port}: no selected container exposes ${target}` });
    }
  }
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
    for (const rule of route.spec?.rules ?? []) {
      for (const backend of rule.backendRefs ?? []) {
        const svc = services.find((s) => s.metadata.name === backend.name && s.metadata.namespace === (backend.namespace ?? route.metadata.namespace));
        if (!svc) out.push({ object: ref(route), reason: `backend Service ${backend.name} does not exist` });
        else if (!(svc.spec?.ports ?? []).some((p: any) => p.port === backend.port)) {
          out.push({ object: ref(route), reason: `backend Service ${backend.name} has no port ${backend.port}` });
        }
      }
    }
  }
  return out;
};

/**
 * Every HTTPRoute attaches to a listener that exists on its Gateway (when the Gateway is in the
 * set), and each route hostname is one that listener serves: a mismatch is accepted by the API
 * server but leaves the route detached, a silent outage.
 */
export const routeAttachmentPolicy: Policy = (objects) => {
  const out: Violation[] = [];
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
    for (const parent of route.spec?.parentRefs ?? []) {
      if ((parent.kind ?? 'Gateway') !== 'Gateway') continue;
      const gatewayNs = parent.namespace ?? route.metadata.namespace;
      const gateway = objects.find((o) => o.kind === 'Gateway' && o.metadata.name === parent.name && (o.metadata.namespace ?? gatewayNs) === gatewayNs);
      if (!gateway) continue;
      const listeners: any[] = (gateway.spec?.listeners ?? []).filter((l: any) => !parent.sectionName || l.name === parent.sectionName);
      if (listeners.length === 0) {
        out.push({ object: ref(route), reason: `Gateway ${parent.name} has no listener "${parent.sectionName}"` });
        continue;
      }
      for (const host of route.spec?.hostnames ?? []) {
        if (!listeners.some((l) => !l.hostname || l.hostname === host)) {
          out.push({ object: ref(route), reason: `hostname ${host} is not served by listener "${parent.sectionName}"` });
        }
      }
    }
  }
  return out;
};

/** The Linode CCM annotation that keeps in-cluster calls to the public hostnames on the NodeBalancer. */
export const LINODE_HOSTNAME_ONLY_INGRESS = 'service.beta.kubernetes.io/linode-loadbalancer-hostname-only-ingress';

/**
 * The edge survives a node drain and in-cluster calls to its own hostnames: every EnvoyProxy runs
 * at least 2 proxies, has a PDB that lets one go at a time (never none, never all), spreads its
 * proxies over nodes with a selector that matches Envoy Gateway's proxy pod labels, and its
 * LoadBalancer Service carries the CCM's hostname-only-ingress annotation (with proxy protocol on,
 * a call short-cut by kube-proxy to Envoy has no PROXY header and is dropped).
 */
export function edgeResiliencePolicy(proxyPodLabels: Readonly<Record<string, string>>): Policy {
  return (objects) => {
    const out: Violation[] = [];
    for (const proxy of objects.filter((o) => o.kind === 'EnvoyProxy')) {
      const k8s = proxy.spec?.provider?.kubernetes ?? {};
      const replicas = k8s.envoyDeployment?.replicas ?? 1;
      if (replicas < 2) out.push({ object: ref(proxy), reason: `${replicas} proxy replica(s): a single node drain takes the edge down` });
      const pdb = k8s.envoyPDB;
      const allowsOne = pdb && ((typeof pdb.maxUnavailable === 'number' && pdb.maxUnavailable >= 1 && pdb.maxUnavailable < replicas) ||
        (typeof pdb.minAvailable === 'number' && pdb.minAvailable >= 1 && pdb.minAvailable < replicas));
      if (!allowsOne) out.push({ object: ref(proxy), reason: 'no envoyPDB that keeps at least one proxy and lets one go' });
      const spread = (k8s.envoyDeployment?.pod?.topologySpreadConstraints ?? []).find(
        (c: any) => c.topologyKey === 'kubernetes.io/hostname' && matchesLabels(c.labelSelector?.matchLabels, proxyPodLabels),
      );
      if (!spread) out.push({ object: ref(proxy), reason: "no topology spread across kubernetes.io/hostname selecting Envoy Gateway's proxy pods" });
      const service = k8s.envoyService ?? {};
      if (service.type === 'LoadBalancer' && service.annotations?.[LINODE_HOSTNAME_ONLY_INGRESS] !== 'true') {
        out.push({ object: ref(proxy), reason: `envoyService lacks ${LINODE_HOSTNAME_ONLY_INGRESS}: "true"` });
      }
    }
    return out;
  };
}
