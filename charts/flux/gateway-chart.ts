/**
 * The public edge, in the configs layer: an Envoy Gateway behind one Linode NodeBalancer per
 * `capacity.nodeBalancers`, TLS for the app and websocket domains, proxy protocol so the app sees
 * client IPs. The app's HTTPRoutes attach to this Gateway (GATEWAY_REF in lib/names.ts).
 */
import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../../imports/cert-manager.io.js';
import {
  ClientTrafficPolicy, EnvoyProxy, EnvoyProxySpecProviderKubernetesEnvoyPdbMaxUnavailable,
  EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy, EnvoyProxySpecProviderKubernetesEnvoyServiceType,
  EnvoyProxySpecProviderType,
} from '../../imports/gateway.envoyproxy.io.js';
import {
  Gateway, GatewayClass, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode, HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectScheme, HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType,
  type GatewaySpecListeners,
} from '../../imports/gateway.networking.k8s.io.js';
import { CrdObject } from '../lib/crd.js';
import { GATEWAY_REF } from '../lib/names.js';
import { PlatformChart, type Layer, type PlatformChartProps } from '../lib/platform-chart.js';
import { GATEWAY_NAMESPACE } from './controllers.js';
import { CLUSTER_ISSUER } from './issuer-chart.js';

const GATEWAY_NAME = GATEWAY_REF.name;
const GATEWAY_CLASS = 'envoy';
const TLS_SECRET = 'public-tls';

/**
 * Labels Envoy Gateway (v1.6, internal/infrastructure/kubernetes/proxy/resource.go EnvoyAppLabel,
 * and the owning-gateway labels of internal/gatewayapi/translator.go) puts on the proxy pods of
 * this Gateway: the spread constraint and the PodMonitor select them.
 */
export const ENVOY_PROXY_POD_LABELS = {
  'app.kubernetes.io/name': 'envoy',
  'app.kubernetes.io/component': 'proxy',
  'app.kubernetes.io/managed-by': 'envoy-gateway',
  'gateway.envoyproxy.io/owning-gateway-name': GATEWAY_NAME,
  'gateway.envoyproxy.io/owning-gateway-namespace': GATEWAY_NAMESPACE,
} as const;

/**
 * The proxies' Prometheus endpoint: Envoy Gateway's bootstrap (internal/xds/bootstrap) serves
 * Envoy's stats on port 19001 at /stats/prometheus, on the container port named `metrics`.
 */
export const ENVOY_PROXY_METRICS = { portName: 'metrics', port: 19001, path: '/stats/prometheus' } as const;

export class GatewayChart extends PlatformChart {
  readonly fileName = 'gateway.yaml';
  override readonly layer: Layer = 'infrastructure/configs';

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { ...props, namespaced: false });
    const { config } = props;
    const hosts = [config.domains.app, config.domains.websockets];
    // The HTTPRoutes attach to these listeners by name (GATEWAY_REF.listeners).
    const listeners = [
      { name: GATEWAY_REF.listeners.app, hostname: config.domains.app },
      { name: GATEWAY_REF.listeners.websockets, hostname: config.domains.websockets },
    ];

    new CrdObject(this, 'proxy-config', EnvoyProxy, {
      metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      spec: {
        provider: {
          type: EnvoyProxySpecProviderType.KUBERNETES,
          kubernetes: {
            envoyDeployment: {
              replicas: config.edge.gatewayReplicas,
              pod: {
                // One proxy per node (a node loss keeps the others), spread over zones when possible.
                topologySpreadConstraints: [
                  {
                    maxSkew: 1,
                    topologyKey: 'kubernetes.io/hostname',
                    whenUnsatisfiable: 'DoNotSchedule',
                    labelSelector: { matchLabels: ENVOY_PROXY_POD_LABELS },
                  },
                  {
                    maxSkew: 1,
                    topologyKey: 'topology.kubernetes.io/zone',
                    whenUnsatisfiable: 'ScheduleAnyway',
                    labelSelector: { matchLabels: ENVOY_PROXY_POD_LABELS },
                  },
                ],
              },
            },
            // A drain evicts one proxy at a time: the edge never goes to zero.
            envoyPdb: { maxUnavailable: EnvoyProxySpecProviderKubernetesEnvoyPdbMaxUnavailable.fromNumber(1) },
            envoyService: {
              type: EnvoyProxySpecProviderKubernetesEnvoyServiceType.LOAD_BALANCER,
              // Linode CCM: proxy protocol v2 keeps client IPs (websockets need TCP mode anyway).
              // hostname-only-ingress: the Service status carries the NodeBalancer's hostname, not
              // its IP, so kube-proxy does not short-cut in-cluster calls to the public hostnames
              // straight to Envoy (which then drops them: they carry no proxy protocol header).
              annotations: {
                'service.beta.kubernetes.io/linode-loadbalancer-default-protocol': 'tcp',
                'service.beta.kubernetes.io/linode-loadbalancer-default-proxy-protocol': 'v2',
                'service.beta.kubernetes.io/linode-loadbalancer-hostname-only-ingress': 'true',
              },
              externalTrafficPolicy: EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy.CLUSTER,
            },
          },
        },
      },
    });

    new CrdObject(this, 'class', GatewayClass, {
      metadata: { name: GATEWAY_CLASS },
      spec: {
        controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
        parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      },
    });

    new CrdObject(this, 'gateway', Gateway, {
      metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      spec: {
        gatewayClassName: GATEWAY_CLASS,
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } } },
          ...listeners.map(({ name, hostname }): GatewaySpecListeners => ({
            name,
            protocol: 'HTTPS',
            port: 443,
            hostname,
            tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: TLS_SECRET }] },
            allowedRoutes: {
              namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR, selector: { matchLabels: { 'kubernetes.io/metadata.name': config.namespace } } },
            },
          })),
        ],
      },
    });

    // The NodeBalancer speaks proxy protocol v2 to Envoy; Envoy must expect it.
    new CrdObject(this, 'client-traffic', ClientTrafficPolicy, {
      metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: GATEWAY_NAME }],
        enableProxyProtocol: true,
        clientIpDetection: { xForwardedFor: { numTrustedHops: 0 } },
      },
    });

    // Plain HTTP only redirects to HTTPS.
    new CrdObject(this, 'https-redirect', HttpRoute, {
      metadata: { name: 'https-redirect', namespace: GATEWAY_NAMESPACE },
      spec: {
        parentRefs: [{ name: GATEWAY_NAME, sectionName: 'http' }],
        hostnames: hosts,
        rules: [
          {
            filters: [
              {
                type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
                requestRedirect: {
                  scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
                  statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
                },
              },
            ],
          },
        ],
      },
    });

    new CrdObject(this, 'certificate', Certificate, {
      metadata: { name: TLS_SECRET, namespace: GATEWAY_NAMESPACE },
      spec: {
        secretName: TLS_SECRET,
        dnsNames: hosts,
        issuerRef: { kind: 'ClusterIssuer', name: CLUSTER_ISSUER },
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
      },
    });
  }
}
