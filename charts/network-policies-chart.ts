/**
 * NetworkPolicies of the app namespace: everything is denied (ingress and egress), then only the
 * flows the app needs are allowed, each policy named after the flow:
 *
 *   gateway namespace  -> web :8080, soketi :6001          (public traffic via the Gateway)
 *   monitoring ns      -> every metrics port                (Prometheus scrapes)
 *   keda ns            -> redis-queue :6379                  (queue length for autoscaling)
 *   Laravel pods       -> redis :6379, meilisearch :7700, soketi :6001 (in the namespace)
 *   Laravel pods       -> database subnet :3306              (the MariaDB VMs, via the
 *                                                            selector-less Services)
 *   soketi             -> cache redis :6379                   (adapter and rate limiter)
 *   every pod          -> kube-system :53 UDP/TCP             (DNS)
 *   internet-egress pods (web, workers, scheduler) -> public internet :443 only
 *
 * Kubelet probes come from the node and are not subject to these policies (LKE's Calico).
 */
import * as k8s from '../imports/k8s.js';
import { Construct } from 'constructs';
import { objectLabels, selectorLabels } from './lib/labels.js';
import { PEER_NAMESPACES, PORTS, POD_ROLE_LABELS, SERVICE_NAMES } from './lib/names.js';
import { PlatformChart, type Layer, type PlatformChartProps } from './lib/platform-chart.js';
import { cacheRedisService, redisInstances } from './lib/redis-instances.js';
import { WEB_PORTS } from './web/configs.js';

/**
 * Address ranges that are not "the internet": RFC 1918 (VPC, pods, services), carrier-grade NAT,
 * link-local (cloud metadata) and loopback. Egress on 443 excludes them, so the internet rule
 * can never reach an internal service.
 */
export const NON_PUBLIC_IPV4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8'];

type Peer = k8s.NetworkPolicyPeer;
type Port = k8s.NetworkPolicyPort;

const namespacePeer = (name: string): Peer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
const podPeer = (labels: Record<string, string>): Peer => ({ podSelector: { matchLabels: labels } });
const tcp = (...ports: number[]): Port[] => ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));

export class NetworkPoliciesChart extends PlatformChart {
  readonly fileName = 'network-policies.yaml';
  override readonly layer: Layer = 'apps/base';

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    const laravel = podPeer(POD_ROLE_LABELS.laravel);
    const monitoring = namespacePeer(PEER_NAMESPACES.monitoring);
    const redisNames = redisInstances(config).map((r) => r.name);

    this.policy('default-deny-all', {}, { policyTypes: ['Ingress', 'Egress'] });

    this.policy('allow-dns', {}, {
      egress: [{ to: [namespacePeer(PEER_NAMESPACES.dns)], ports: [
        { protocol: 'UDP', port: k8s.IntOrString.fromNumber(PORTS.dns) },
        { protocol: 'TCP', port: k8s.IntOrString.fromNumber(PORTS.dns) },
      ] }],
    });

    this.policy('web-ingress', selectorLabels(SERVICE_NAMES.web), {
      ingress: [
        { from: [namespacePeer(PEER_NAMESPACES.gateway)], ports: tcp(WEB_PORTS.http) },
        { from: [monitoring], ports: tcp(WEB_PORTS.fpmExporter, WEB_PORTS.nginxExporter) },
      ],
    });

    this.policy('soketi-ingress', selectorLabels(SERVICE_NAMES.soketi), {
      ingress: [
        { from: [namespacePeer(PEER_NAMESPACES.gateway)], ports: tcp(PORTS.soketi) },
        // Laravel publishes events through Soketi's HTTP API.
        { from: [laravel], ports: tcp(PORTS.soketi) },
        { from: [monitoring], ports: tcp(PORTS.soketiMetrics) },
      ],
    });
    this.policy('soketi-egress', selectorLabels(SERVICE_NAMES.soketi), {
      egress: [{ to: [podPeer(selectorLabels(cacheRedisService(config)))], ports: tcp(PORTS.redis) }],
    });

    for (const name of redisNames) {
      const soketiUsesIt = name === cacheRedisService(config);
      const kedaReadsIt = name === SERVICE_NAMES.redisQueue;
      this.policy(`${name}-ingress`, selectorLabels(name), {
        ingress: [
          { from: [laravel, ...(soketiUsesIt ? [podPeer(selectorLabels(SERVICE_NAMES.soketi))] : [])], ports: tcp(PORTS.redis) },
          ...(kedaReadsIt ? [{ from: [namespacePeer(PEER_NAMESPACES.keda)], ports: tcp(PORTS.redis) }] : []),
          { from: [monitoring], ports: tcp(PORTS.redisExporter) },
        ],
      });
    }

    this.policy('meilisearch-ingress', selectorLabels(SERVICE_NAMES.meilisearch), {
      ingress: [
        { from: [laravel], ports: tcp(PORTS.meilisearch) },
        // /metrics is on the API port (it needs an API key with metrics.get).
        { from: [monitoring], ports: tcp(PORTS.meilisearch) },
      ],
    });

    this.policy('laravel-egress', POD_ROLE_LABELS.laravel, {
      egress: [
        ...redisNames.map((name) => ({ to: [podPeer(selectorLabels(name))], ports: tcp(PORTS.redis) })),
        { to: [podPeer(selectorLabels(SERVICE_NAMES.meilisearch))], ports: tcp(PORTS.meilisearch) },
        { to: [podPeer(selectorLabels(SERVICE_NAMES.soketi))], ports: tcp(PORTS.soketi) },
        // The MariaDB VMs: the selector-less Services resolve to addresses in this subnet.
        { to: [{ ipBlock: { cidr: config.network.databaseSubnet } }], ports: tcp(PORTS.mysql) },
      ],
    });

    // Laravel calls the marketplaces' APIs (eBay, Amazon) from queue workers, web requests and
    // scheduled commands: HTTPS to public addresses only. Their IPs are not stable (CDNs), so
    // the rule is "any public address on 443"; plain HTTP and every other port stay closed.
    this.policy('internet-https-egress', POD_ROLE_LABELS.internetEgress, {
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NON_PUBLIC_IPV4 } }], ports: tcp(PORTS.https) }],
    });
  }

  private policy(
    name: string,
    podSelectorLabels: Record<string, string>,
    rules: { ingress?: k8s.NetworkPolicyIngressRule[]; egress?: k8s.NetworkPolicyEgressRule[]; policyTypes?: string[] },
  ): k8s.KubeNetworkPolicy {
    const policyTypes = rules.policyTypes ?? [...(rules.ingress ? ['Ingress'] : []), ...(rules.egress ? ['Egress'] : [])];
    return new k8s.KubeNetworkPolicy(this, name, {
      metadata: { name, labels: objectLabels(this.config, name, 'network-policy') },
      spec: {
        podSelector: Object.keys(podSelectorLabels).length ? { matchLabels: podSelectorLabels } : {},
        policyTypes,
        ...(rules.ingress ? { ingress: rules.ingress } : {}),
        ...(rules.egress ? { egress: rules.egress } : {}),
      },
    });
  }
}
