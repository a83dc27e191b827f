/**
 * The app's public entry: Gateway API HTTPRoutes attached to the shared Gateway (GATEWAY_REF,
 * created by the GitOps layer with its implementation; ingress-nginx is retired and not used).
 * - `web`: the app domain to the web Service;
 * - `websockets`: the websocket domain to Soketi, without a request timeout (a websocket is one
 *   long request; a route timeout would cut every connection after it);
 *
 * TLS terminates at the Gateway's HTTPS listener of each domain (certificates are the Gateway's
 * concern: cert-manager fills the listeners' certificateRefs), and the Gateway redirects plain
 * HTTP itself. Traffic from the Gateway to the pods is
 * plain HTTP inside the cluster, restricted by the NetworkPolicies to the gateway namespace.
 */
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../apps/config/index.js';
import { BackendTrafficPolicy } from '../imports/gateway.envoyproxy.io.js';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType, type HttpRouteSpec } from '../imports/gateway.networking.k8s.io.js';
import { CrdObject } from './lib/crd.js';
import { objectLabels } from './lib/labels.js';
import { GATEWAY_REF, PORTS, SERVICE_NAMES } from './lib/names.js';
import { PlatformChart, type PlatformChartProps } from './lib/platform-chart.js';
import { fastcgiTimeoutSeconds } from './web/configs.js';

/** Seconds the Gateway waits for the web tier: a little beyond nginx's own FastCGI timeout. */
export function webRouteTimeoutSeconds(config: EnvironmentConfig): number {
  return fastcgiTimeoutSeconds(config) + 5;
}

function parentRef(sectionName: string) {
  return { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: GATEWAY_REF.name, namespace: GATEWAY_REF.namespace, sectionName };
}

export class GatewayRoutesChart extends PlatformChart {
  readonly fileName = 'gateway-routes.yaml';

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    const route = (name: string, spec: HttpRouteSpec) =>
      new CrdObject(this, name, HttpRoute, {
        metadata: { name, labels: objectLabels(config, name, 'edge') },
        spec,
      });

    route('web', {
      parentRefs: [parentRef(GATEWAY_REF.listeners.app)],
      hostnames: [config.domains.app],
      rules: [
        {
          matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
          backendRefs: [{ kind: 'Service', name: SERVICE_NAMES.web, port: 80 }],
          timeouts: { request: `${webRouteTimeoutSeconds(config)}s` },
        },
      ],
    });

    // Envoy closes idle connections to nginx before nginx's keepalive_timeout does (the rule
    // edgeClosesIdleConnectionsFirst keeps the order): no request races a closing connection.
    new CrdObject(this, 'web-backend-traffic', BackendTrafficPolicy, {
      metadata: { name: 'web', labels: objectLabels(config, 'web', 'edge') },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'web' }],
        timeout: { http: { connectionIdleTimeout: `${config.edge.upstreamIdleTimeoutSeconds}s` } },
      },
    });

    route('websockets', {
      parentRefs: [parentRef(GATEWAY_REF.listeners.websockets)],
      hostnames: [config.domains.websockets],
      rules: [
        {
          matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
          backendRefs: [{ kind: 'Service', name: SERVICE_NAMES.soketi, port: PORTS.soketi }],
          // "0s" disables the request timeout (Gateway API: a zero duration means none).
          timeouts: { request: '0s' },
        },
      ],
    });
  }
}
