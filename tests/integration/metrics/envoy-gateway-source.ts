/**
 * Facts about the Envoy proxies, read from the Envoy Gateway Go module at the version the
 * manifests pin (charts/flux/controllers.ts), in the module cache (.ci/install.d/45-exporters.sh
 * downloads it): the labels and metrics port of the proxy pods it creates, and the
 * Envoy metric names its own Grafana dashboards (charts/gateway-addons-helm/dashboards) query,
 * the upstream record of what the proxies' /stats/prometheus exposes. Nothing is copied by hand.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROLLERS } from '../../../charts/flux/controllers.js';
import { promqlMetrics as metricNames } from '../../tools/promql-metrics.js';

export interface EnvoyGatewaySource {
  readonly version: string;
  readonly dir: string;
  readonly controllerName: string;
  readonly proxyLabels: Readonly<Record<string, string>>;
  readonly owningGatewayNameLabel: string;
  readonly owningGatewayNamespaceLabel: string;
  readonly statsPortName: string;
  readonly statsPort: number;
  /** Envoy metric names, and the dashboard files they were read from. */
  readonly metricNames: ReadonlySet<string>;
  readonly metricSources: readonly string[];
}

function match(file: string, text: string, re: RegExp): string {
  const m = text.match(re);
  if (!m?.[1]) throw new Error(`Envoy Gateway source ${file}: ${re} not found (did the upstream code move?)`);
  return m[1];
}

export function envoyGatewaySource(): EnvoyGatewaySource {
  const controller = CONTROLLERS.find((c) => c.name === 'envoy-gateway');
  if (!controller) throw new Error('charts/flux/controllers.ts: no envoy-gateway controller');
  const version = controller.source.version;
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const dir = join(modCache, `github.com/envoyproxy/gateway@${version}`);
  if (!existsSync(dir)) throw new Error(`${dir} is missing: run bash .ci/install.d/45-exporters.sh (it downloads the module)`);
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');

  const resourceGo = 'internal/infrastructure/kubernetes/proxy/resource.go';
  const resource = read(resourceGo);
  const labelBlock = match(resourceGo, resource, /func EnvoyAppLabel\(\) map\[string\]string \{\s*return map\[string\]string\{([^}]*)\}/);
  const proxyLabels = Object.fromEntries([...labelBlock.matchAll(/"([^"]+)":\s*"([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
  const statsPortName = match(resourceGo, resource, /Name:\s*"([^"]+)",\s*ContainerPort:\s*bootstrap\.EnvoyStatsPort/);
  const bootstrapGo = 'internal/xds/bootstrap/bootstrap.go';
  const statsPort = Number(match(bootstrapGo, read(bootstrapGo), /EnvoyStatsPort\s*=\s*(\d+)/));
  const translatorGo = 'internal/gatewayapi/translator.go';
  const translator = read(translatorGo);
  const typesGo = 'api/v1alpha1/envoygateway_types.go';

  const dashboards = 'charts/gateway-addons-helm/dashboards';
  const metricSources = readdirSync(join(dir, dashboards)).filter((f) => f.startsWith('envoy') && f.endsWith('.json')).map((f) => `${dashboards}/${f}`);
  const names = new Set<string>();
  for (const file of metricSources) {
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'expr' && typeof v === 'string') metricNames(v.replace(/\$\{?\w+\}?/g, 'x')).filter((n) => n.startsWith('envoy_')).forEach((n) => names.add(n));
          else walk(v);
        }
      }
    };
    walk(JSON.parse(read(file)));
  }
  if (names.size === 0) throw new Error(`no envoy_* metric in ${metricSources.join(', ')}`);
  return {
    version,
    dir,
    controllerName: match(typesGo, read(typesGo), /GatewayControllerName\s*=\s*"([^"]+)"/),
    proxyLabels,
    owningGatewayNameLabel: match(translatorGo, translator, /OwningGatewayNameLabel\s*=\s*"([^"]+)"/),
    owningGatewayNamespaceLabel: match(translatorGo, translator, /OwningGatewayNamespaceLabel\s*=\s*"([^"]+)"/),
    statsPortName,
    statsPort,
    metricNames: names,
    metricSources,
  };
}
