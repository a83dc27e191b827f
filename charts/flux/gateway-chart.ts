/**
 * The public edge, in the configs layer: an Envoy Gateway behind one Linode NodeBalancer per
 * `capacity.nodeBalancers`, TLS for the app and websocket domains, proxy protocol so the app sees
 * client IPs. The app's HTTPRoutes attach to this Gateway (GATEWAY_REF in lib/names.ts).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GATEWAY_REF } from '../lib/names.js';
import { PlatformChart, type Layer, type PlatformChartProps } from '../lib/platform-chart.js';
import { GATEWAY_NAMESPACE } from './controllers.js';
import { CLUSTER_ISSUER } from './issuer-chart.js';

const GATEWAY_NAME = GATEWAY_REF.name;
const GATEWAY_CLASS = 'envoy';
const TLS_SECRET = 'public-tls';

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

    new ApiObject(this, 'proxy-config', {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'EnvoyProxy',
      metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      spec: {
        provider: {
          type: 'Kubernetes',
          kubernetes: {
            envoyDeployment: { replicas: config.edge.gatewayReplicas },
            envoyService: {
              type: 'LoadBalancer',
              // Linode CCM: proxy protocol v2 keeps client IPs (websockets need TCP mode anyway).
              annotations: {
                'service.beta.kubernetes.io/linode-loadbalancer-default-protocol': 'tcp',
                'service.beta.kubernetes.io/linode-loadbalancer-default-proxy-protocol': 'v2',
              },
              externalTrafficPolicy: 'Cluster',
            },
          },
        },
      },
    });

    new ApiObject(this, 'class', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: GATEWAY_CLASS },
      spec: {
        controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
        parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      },
    });

    new ApiObject(this, 'gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      spec: {
        gatewayClassName: GATEWAY_CLASS,
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } },
          ...listeners.map(({ name, hostname }) => ({
            name,
            protocol: 'HTTPS',
            port: 443,
            hostname,
            tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: TLS_SECRET }] },
            allowedRoutes: {
              namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': config.namespace } } },
            },
          })),
        ],
      },
    });

    // The NodeBalancer speaks proxy protocol v2 to Envoy; Envoy must expect it.
    new ApiObject(this, 'client-traffic', {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'ClientTrafficPolicy',
      metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: GATEWAY_NAME }],
        enableProxyProtocol: true,
        clientIPDetection: { xForwardedFor: { numTrustedHops: 0 } },
      },
    });

    // Plain HTTP only redirects to HTTPS.
    new ApiObject(this, 'https-redirect', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'https-redirect', namespace: GATEWAY_NAMESPACE },
      spec: {
        parentRefs: [{ name: GATEWAY_NAME, sectionName: 'http' }],
        hostnames: hosts,
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    });

    new ApiObject(this, 'certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: TLS_SECRET, namespace: GATEWAY_NAMESPACE },
      spec: {
        secretName: TLS_SECRET,
        dnsNames: hosts,
        issuerRef: { kind: 'ClusterIssuer', name: CLUSTER_ISSUER },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      },
    });
  }
}
