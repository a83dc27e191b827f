/**
 * A NetworkPolicy evaluator implementing the Kubernetes semantics the app's policies rely on,
 * so tests can ask "may A talk to B on port P?" of the rendered objects:
 * - a pod selected by no policy of a type (Ingress/Egress) is not isolated for that direction;
 * - once selected, a connection needs an allowing rule in that direction (rules are additive);
 * - a flow between two pods needs egress from the source AND ingress to the destination;
 * - peers: podSelector alone = pods of the policy's namespace; namespaceSelector matches the
 *   namespace's labels (kubernetes.io/metadata.name is always set); ipBlock matches addresses
 *   outside the cluster's pods (the way Calico treats pod traffic here: pod peers are selected
 *   by labels, not by pod IPs);
 * - ports: no ports = every port; numeric ports with protocol (TCP default) and endPort.
 * Named ports and matchExpressions are not used by this repository and are rejected loudly,
 * so the evaluator never silently answers a question it cannot.
 */
import { matchesLabels, ref, type K8sObject } from './manifest.js';

export interface PodEndpoint {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}
export interface AddressEndpoint {
  readonly ip: string;
}
export type Endpoint = PodEndpoint | AddressEndpoint;

export interface Flow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

const isPod = (e: Endpoint): e is PodEndpoint => 'namespace' in e;

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(base!) / size) * size;
  const value = ipToInt(ip);
  return value >= start && value < start + size;
}

function selectorMatches(selector: any, labels: Record<string, string>, what: string): boolean {
  if (selector?.matchExpressions?.length) throw new Error(`${what}: matchExpressions are not supported by the evaluator`);
  const required = selector?.matchLabels ?? {};
  return matchesLabels(required, labels);
}

function namespaceLabels(namespace: string): Record<string, string> {
  return { 'kubernetes.io/metadata.name': namespace };
}

function peerMatches(peer: any, policy: K8sObject, endpoint: Endpoint): boolean {
  const what = ref(policy);
  if (peer.ipBlock) {
    if (isPod(endpoint)) return false;
    return inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(endpoint.ip, c));
  }
  if (!isPod(endpoint)) return false;
  const nsOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, namespaceLabels(endpoint.namespace), what)
    : endpoint.namespace === policy.metadata.namespace;
  const podOk = peer.podSelector ? selectorMatches(peer.podSelector, endpoint.labels, what) : true;
  return nsOk && podOk;
}

function portMatches(rulePorts: any[] | undefined, port: number, protocol: string, what: string): boolean {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port !== 'number') throw new Error(`${what}: named port "${p.port}" is not supported by the evaluator`);
    return port >= p.port && port <= (p.endPort ?? p.port);
  });
}

function selects(policy: K8sObject, pod: PodEndpoint): boolean {
  return policy.metadata.namespace === pod.namespace && selectorMatches(policy.spec?.podSelector, pod.labels, ref(policy));
}

function allowedIn(direction: 'Ingress' | 'Egress', policies: readonly K8sObject[], subject: PodEndpoint, peer: Endpoint, port: number, protocol: string): boolean {
  const isolating = policies.filter((p) => (p.spec?.policyTypes ?? ['Ingress']).includes(direction) && selects(p, subject));
  if (isolating.length === 0) return true;
  return isolating.some((policy) => {
    const rules: any[] = (direction === 'Ingress' ? policy.spec?.ingress : policy.spec?.egress) ?? [];
    return rules.some((rule) => {
      const peers: any[] | undefined = direction === 'Ingress' ? rule.from : rule.to;
      const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, policy, peer));
      return peerOk && portMatches(rule.ports, port, protocol, ref(policy));
    });
  });
}

/** Whether the NetworkPolicies in `objects` let the flow through. */
export function allowsFlow(objects: readonly K8sObject[], flow: Flow): boolean {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const protocol = flow.protocol ?? 'TCP';
  const egressOk = !isPod(flow.from) || allowedIn('Egress', policies, flow.from, flow.to, flow.port, protocol);
  const ingressOk = !isPod(flow.to) || allowedIn('Ingress', policies, flow.to, flow.from, flow.port, protocol);
  return egressOk && ingressOk;
}
