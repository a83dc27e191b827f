/**
 * Every metric a PrometheusRule expression, a Grafana dashboard panel or a KEDA Prometheus trigger
 * of the generated manifests reads is exposed by a target some PodMonitor or ScrapeConfig of the
 * same manifests scrapes. The exposed names come from the real exporters, run here against real
 * servers with the manifests' own configuration (exporters.ts), and Envoy's from Envoy Gateway's
 * upstream source at the pinned version (envoy-gateway-source.ts). Started by
 * tests/suites/45-metric-coverage.sh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVOY_PROXY_METRICS, ENVOY_PROXY_POD_LABELS } from '../../../charts/flux/gateway-chart.js';
import { REPO_ROOT } from '../../../apps/config/index.js';
import { memoryMiB, type EnvironmentConfig } from '../../../apps/config/index.js';
import type { K8sObject } from '../../../policies/manifest.js';
import { renderedEnvironments } from '../../unit/support/rendered-objects.js';
import { envoyGatewaySource } from './envoy-gateway-source.js';
import { kedaSource } from './keda-source.js';
import { ExporterLab } from './exporters.js';
import { promqlMetrics as metricNames } from '../../tools/promql-metrics.js';
import { scrapeTargets, type ScrapeTarget } from './scrape-targets.js';

const environments = await renderedEnvironments();
const eg = envoyGatewaySource();
const lab = new ExporterLab();
afterAll(() => lab.close());

const keda = kedaSource();

/**
 * Metrics of the controllers' own exporters, which this test does not run: accepted while the
 * object that scrapes them is in the manifests. KEDA's by exact name, read from its module at the
 * version the chart deploys (keda-source.ts; suite 56 scrapes the real operator); kube-state-
 * metrics' by prefix only (its names are generated at runtime from the kinds it watches).
 */
const CONTROLLER_METRICS = [
  { accepts: (m: string) => m.startsWith('kube_'), source: 'kube-state-metrics (HelmRelease kube-prometheus-stack)', present: (o: K8sObject) => o.kind === 'HelmRelease' && o.metadata.name === 'kube-prometheus-stack' },
  { accepts: (m: string) => keda.metricNames.has(m), source: `KEDA ${keda.version} operator (PodMonitor keda-operator)`, present: (o: K8sObject) => o.kind === 'PodMonitor' && o.metadata.name === 'keda-operator' },
] as const;

/** Prometheus adds these to every target it scrapes. */
const SCRAPE_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

interface Query { readonly where: string; readonly expr: string }

function queries(objects: readonly K8sObject[]): Query[] {
  const out: Query[] = [];
  for (const o of objects) {
    if (o.kind === 'PrometheusRule') {
      for (const g of o.spec.groups) for (const r of g.rules) out.push({ where: `PrometheusRule ${o.metadata.name} alert ${r.alert ?? r.record}`, expr: r.expr });
    }
    if (o.kind === 'ScaledObject') {
      for (const t of o.spec.triggers ?? []) if (t.type === 'prometheus') out.push({ where: `ScaledObject ${o.metadata.name}`, expr: t.metadata.query });
    }
    if (o.kind === 'ConfigMap') {
      for (const [file, text] of Object.entries((o.data ?? {}) as Record<string, string>)) {
        if (!file.endsWith('.json')) continue;
        for (const p of JSON.parse(text).panels ?? []) for (const t of p.targets ?? []) out.push({ where: `dashboard ${file} panel "${p.title}"`, expr: t.expr });
      }
    }
  }
  return out;
}

const exposedCache = new Map<string, Promise<Set<string> | undefined>>();

/** Metric names one target exposes, from the real program (undefined: not runnable here). */
function exposedBy(target: ScrapeTarget, config: EnvironmentConfig): Promise<Set<string> | undefined> {
  const key = JSON.stringify([target.program, target.env, target.args]);
  if (!exposedCache.has(key)) {
    const run = (): Promise<Set<string> | undefined> => {
      switch (target.program) {
        case 'oliver006/redis_exporter': return lab.redisExporter(target.env);
        case 'hipages/php-fpm_exporter': return lab.phpFpmExporter(config, target.env, target.args);
        case 'nginx/nginx-prometheus-exporter': return lab.nginxExporter(config, target.env, target.args);
        case 'soketi/soketi': return lab.soketi(target.env).then((s) => s.names);
        case 'mysqld_exporter': return lab.mysqldExporter(target.args);
        case 'node_exporter': return lab.nodeExporter(target.args);
        case 'envoy': return Promise.resolve(new Set(eg.metricNames));
        default: return Promise.resolve(undefined);
      }
    };
    // One program at a time: they share the test's servers and ports.
    const previous = [...exposedCache.values()].at(-1) ?? Promise.resolve(undefined);
    exposedCache.set(key, previous.catch(() => undefined).then(run));
  }
  return exposedCache.get(key)!;
}

describe.each(environments)('metrics in $name', ({ name, config, objects }) => {
  let exposed: Map<string, string[]>;
  let notRun: string[];

  beforeAll(async () => {
    exposed = new Map();
    notRun = [];
    for (const target of scrapeTargets(objects, eg, REPO_ROOT, name)) {
      const names = await exposedBy(target, config);
      if (!names) { notRun.push(`${target.monitor} (${target.program})`); continue; }
      for (const n of [...names, ...SCRAPE_SERIES]) exposed.set(n, [...(exposed.get(n) ?? []), target.monitor]);
    }
  });

  it('every metric a rule, a dashboard or a KEDA trigger reads is exposed by a scraped target', () => {
    const used = queries(objects);
    expect(used.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const q of used) {
      for (const metric of metricNames(q.expr)) {
        if (exposed.has(metric)) continue;
        const controller = CONTROLLER_METRICS.find((c) => c.accepts(metric));
        if (controller && objects.some(controller.present)) continue;
        missing.push(`${q.where}: ${metric} is exposed by no scraped target`);
      }
    }
    expect(missing).toEqual([]);
    // Only exporters whose metrics no rule or panel reads may stay unrun (Meilisearch).
    expect(notRun.every((t) => /meilisearch/.test(t)), notRun.join('\n')).toBe(true);
  });

  it("selects the Envoy proxies by the labels and port Envoy Gateway gives them", () => {
    expect(ENVOY_PROXY_POD_LABELS).toMatchObject(eg.proxyLabels);
    expect(ENVOY_PROXY_POD_LABELS).toHaveProperty([eg.owningGatewayNameLabel]);
    expect({ port: ENVOY_PROXY_METRICS.port, portName: ENVOY_PROXY_METRICS.portName }).toEqual({ port: eg.statsPort, portName: eg.statsPortName });
    expect([...exposed.keys()].filter((n) => n.startsWith('envoy_')).length).toBeGreaterThan(5);
  });
});

describe("Soketi's heap cap on the real Soketi", () => {
  it('makes /accept-traffic measure against a heap below the container limit (it sheds load before an OOM kill)', async () => {
    const { objects } = environments.find((e) => e.name === 'production')!;
    const container = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'soketi')!.spec.template.spec.containers[0];
    const env = Object.fromEntries(container.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    const { acceptTraffic } = await lab.soketi(env);
    const limitMiB = memoryMiB(container.resources.limits.memory);
    // V8's total_available_size, what Soketi divides by: without a cap it follows the machine's RAM.
    expect(acceptTraffic.totalSize / 2 ** 20).toBeLessThan(limitMiB);
  });
});
