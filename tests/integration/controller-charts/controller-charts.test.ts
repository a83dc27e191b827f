/**
 * Every HelmRelease's pinned chart (../shared/helm-charts, HELM_CHARTS_DIR), rendered with
 * `helm template` and its values as the cluster installs it, must do what the values mean:
 *   - an alert or dashboard reading a controller's metrics has a monitor Prometheus selects;
 *   - the flags we pass are the effective ones (each exactly once), our resources are on the
 *     rendered containers;
 *   - no values key we set is ignored by the chart (checked against its values.yaml and its
 *     subcharts'; pass-through maps are allow-listed with a reason in charts/flux/controllers.ts).
 *   - the CRDs the manifests are validated against ($K8S_CRDS, .ci/install.d/20-k8s-schemas.sh)
 *     are the ones the charts install (Gateway API: the standard channel of the same bundle).
 * Needs helm on PATH and K8S_CRDS: run by tests/suites/32-controller-charts.sh.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../../apps/config/index.js';
import { CONTROLLERS } from '../../../charts/flux/controllers.js';
import type { K8sObject } from '../../../policies/manifest.js';
import { chartCrds } from '../../tools/charts/chart-crds.js';
import { chartValues, ignoredKeys, isMap } from '../../tools/charts/chart-values.js';
import { environmentCharts, type EnvironmentCharts, type RenderedRelease } from '../../tools/charts/environment-charts.js';
import { monitorsOf, prometheusSelects, workloadsNamed } from '../../tools/charts/monitors.js';
import { promqlMetrics } from '../../tools/promql-metrics.js';

// A load error (no chart repository, helm failing) becomes a failing test, not a file that
// vitest reports without a failed-test count.
let environments: EnvironmentCharts[] = [];
let loadError: Error | undefined;
try {
  environments = await environmentCharts();
} catch (error) {
  loadError = error as Error;
}

test('every environment renders its controller charts', () => {
  if (loadError) throw loadError;
  expect(environments.length).toBeGreaterThan(0);
});

function controllerOf(release: RenderedRelease) {
  const spec = CONTROLLERS.find((c) => c.name === release.release && c.namespace === release.namespace);
  if (!spec) throw new Error(`HelmRelease ${release.namespace}/${release.release} is not in charts/flux/controllers.ts`);
  return spec;
}

/** metric -> where it is used ("PrometheusRule x: alert Y", "dashboard z.json: panel"). */
function usedMetrics(objects: readonly K8sObject[]): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const add = (expr: string, where: string) => {
    for (const m of promqlMetrics(expr)) used.set(m, [...(used.get(m) ?? []), where]);
  };
  for (const o of objects) {
    if (o.kind === 'PrometheusRule') {
      for (const g of o.spec?.groups ?? []) for (const r of g.rules ?? []) add(String(r.expr), `PrometheusRule ${o.metadata.name}: ${r.alert ?? r.record}`);
    }
    if (o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard !== undefined) {
      for (const [file, text] of Object.entries((o.data ?? {}) as Record<string, string>)) {
        if (!file.endsWith('.json')) continue;
        const panels = (list: any[]): any[] => list.flatMap((p) => [p, ...panels(p.panels ?? [])]);
        for (const p of panels(JSON.parse(text).panels ?? [])) for (const t of p.targets ?? []) add(String(t.expr), `dashboard ${file}: ${p.title}`);
      }
    }
  }
  return used;
}

interface Container { name: string; args?: string[]; command?: string[]; resources?: unknown }
function containers(objects: readonly K8sObject[]): Array<Container & { owner: string }> {
  return objects.flatMap((o) => {
    const pod = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
    if (!pod) return [];
    return [...(pod.initContainers ?? []), ...(pod.containers ?? [])].map((c: Container) => ({ ...c, owner: `${o.kind}/${o.metadata.name}` }));
  });
}

/** [path, value] of every value in `values`, depth first. */
function entries(values: unknown, path = ''): Array<[string, unknown]> {
  if (!isMap(values)) return [];
  return Object.entries(values).flatMap(([k, v]) => [[`${path}${k}`, v] as [string, unknown], ...entries(v, `${path}${k}.`)]);
}

/** A value as helm renders it: keys sorted, null entries dropped (null removes a chart default). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isMap(value)) return value === null ? undefined : String(value);
  return Object.fromEntries(Object.keys(value).sort().filter((k) => value[k] !== null).map((k) => [k, canonical(value[k])]));
}

/** Whether `value` (canonical) is `tree` or any map or list inside it. */
function containsValue(tree: unknown, value: unknown): boolean {
  if (JSON.stringify(canonical(tree)) === JSON.stringify(value)) return true;
  if (Array.isArray(tree)) return tree.some((x) => containsValue(x, value));
  return isMap(tree) && Object.values(tree).some((x) => containsValue(x, value));
}

const flagName = (flag: string) => flag.split('=')[0]!;
const isFlagList = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.startsWith('--'));
/** A container resources block (requests/limits of cpu or memory), not a PVC's storage request. */
const isResources = (v: unknown): boolean =>
  isMap(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k === 'requests' || k === 'limits') &&
  Object.values(v).some((r) => isMap(r) && ('cpu' in r || 'memory' in r));

describe.each(environments)('environment $name', (env) => {
  const namespaceLabels = (ns: string) => env.objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns)?.metadata.labels ?? {};
  const prometheuses = env.releases.flatMap((r) => r.objects.filter((o) => o.kind === 'Prometheus').map((o) => ({ o, ns: o.metadata.namespace ?? r.namespace })));

  test('every HelmRelease is a controller of charts/flux/controllers.ts and renders objects', () => {
    expect(env.releases.map((r) => r.release).sort()).toEqual(CONTROLLERS.map((c) => c.name).sort());
    for (const r of env.releases) expect(r.objects.length, `${r.release}`).toBeGreaterThan(0);
  });

  test('a chart rendering a kind whose CRD another chart installs waits for that HelmRelease (dependsOn)', () => {
    const installs = new Map<string, RenderedRelease>();
    for (const r of env.releases) {
      for (const o of r.objects) if (o.kind === 'CustomResourceDefinition') installs.set(`${o.spec?.group}/${o.spec?.names?.kind}`, r);
    }
    const releaseObject = (r: { release: string; namespace: string }) =>
      env.objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === r.release && o.metadata.namespace === r.namespace);
    const waitsFor = (from: { release: string; namespace: string }, to: RenderedRelease, seen = new Set<string>()): boolean => {
      const deps: Array<{ name: string; namespace?: string }> = releaseObject(from)?.spec?.dependsOn ?? [];
      return deps.some((d) => {
        const dep = { release: d.name, namespace: d.namespace ?? from.namespace };
        const key = `${dep.namespace}/${dep.release}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return (dep.release === to.release && dep.namespace === to.namespace) || waitsFor(dep, to, seen);
      });
    };
    const problems = new Set<string>();
    for (const r of env.releases) {
      for (const o of r.objects) {
        const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
        const owner = installs.get(`${group}/${o.kind}`);
        if (owner && owner !== r && !waitsFor(r, owner)) {
          problems.add(`HelmRelease ${r.namespace}/${r.release} renders ${o.kind} (CRD from HelmRelease ${owner.namespace}/${owner.release}) without dependsOn it`);
        }
      }
    }
    expect([...problems], env.name).toEqual([]);
  });

  describe.each(env.releases.map((r) => ({ ...r, label: `${r.release} (${r.chart} ${r.version})` })))('$label', (release) => {
    const controller = controllerOf(release);

    test('no values key we set is ignored by the chart', () => {
      const passThrough = new Set(Object.keys(controller.passThroughValues ?? {}));
      const ours = new Set(entries(release.values).map(([p]) => p));
      const stale = [...passThrough].filter((p) => !ours.has(p));
      expect(stale, `passThroughValues entries we do not set (charts/flux/controllers.ts, ${controller.name})`).toEqual([]);
      // A pass-through map must arrive whole in some rendered object (e.g. storageSpec -> Prometheus spec.storage).
      const values = new Map(entries(release.values));
      const lost = [...passThrough].filter((p) => ours.has(p) && !release.objects.some((o) => containsValue(o, canonical(values.get(p)))));
      expect(lost, `passThroughValues that no rendered object holds (${controller.name})`).toEqual([]);
      const ignored = ignoredKeys(release.values, chartValues(release.archive.path), passThrough);
      expect(ignored.map((i) => `${env.name}: HelmRelease ${release.namespace}/${release.release} values.${i.path}: ${i.reason}`)).toEqual([]);
    });

    test('the flags we set are the effective ones, each given exactly once', () => {
      const ours = entries(release.values).filter(([, v]) => isFlagList(v)).flatMap(([, v]) => v as string[]);
      if (ours.length === 0) return;
      const problems: string[] = [];
      const candidates = containers(release.objects).filter((c) => ours.some((f) => (c.args ?? c.command ?? []).includes(f)));
      if (candidates.length === 0) problems.push(`no rendered container has any of ${ours.join(' ')}`);
      for (const c of candidates) {
        const args = [...(c.command ?? []), ...(c.args ?? [])];
        for (const flag of ours) {
          const same = args.filter((a) => flagName(a) === flagName(flag));
          if (same.length !== 1 || same[0] !== flag) {
            problems.push(`${c.owner} container ${c.name}: we set ${flag}, the effective args hold ${JSON.stringify(same)}`);
          }
        }
      }
      expect(problems, `${env.name}: HelmRelease ${release.namespace}/${release.release}`).toEqual([]);
    });

    test('the resources we set are on the rendered containers', () => {
      const ours = entries(release.values).filter(([, v]) => isResources(v));
      const rendered = containers(release.objects);
      const missing = ours
        .filter(([, resources]) => !rendered.some((c) => JSON.stringify(canonical(c.resources)) === JSON.stringify(canonical(resources))))
        .map(([path, resources]) => {
          const seen = [...new Set(rendered.map((c) => `${c.owner}/${c.name}: ${JSON.stringify(canonical(c.resources))}`))];
          return `values.${path} = ${JSON.stringify(canonical(resources))} is on no rendered container (rendered: ${seen.join('; ')})`;
        });
      expect(missing, `${env.name}: HelmRelease ${release.namespace}/${release.release}`).toEqual([]);
    });
  });

  const declared = CONTROLLERS.flatMap((c) => (c.metrics ?? []).map((m) => ({ controller: c, ...m })));
  test.each(declared.map((d) => ({ ...d, label: `${d.prefix}* (${d.controller.name} ${d.workload})` })))(
    'metrics $label used by alerts or dashboards have a monitor Prometheus selects',
    ({ controller, prefix, workload }) => {
      const used = [...usedMetrics(env.objects)].filter(([m]) => m.startsWith(prefix));
      const release = env.releases.find((r) => r.release === controller.name && r.namespace === controller.namespace);
      expect(release, `HelmRelease ${controller.namespace}/${controller.name}`).toBeDefined();
      const workloads = workloadsNamed(release!.objects, workload, release!.namespace);
      expect(workloads.map((w) => w.ref), `${controller.name} renders no workload with app.kubernetes.io/name=${workload}`).not.toEqual([]);
      if (used.length === 0) return;
      // The environment's own monitors count as much as the charts' (charts/monitoring-chart.ts
      // scrapes KEDA's operator with honorLabels).
      const allObjects = [...env.objects.filter((o) => o.metadata).map((o) => ({ o, ns: env.config.namespace })), ...env.releases.flatMap((r) => r.objects.map((o) => ({ o, ns: r.namespace })))];
      const monitors = workloads.flatMap((w) =>
        monitorsOf(allObjects.map((x) => ({ ...x.o, metadata: { ...x.o.metadata, namespace: x.o.metadata.namespace ?? x.ns } })), w, release!.namespace),
      );
      const scraped = monitors.filter((m) => prometheuses.some((p) => prometheusSelects(p.o, m.monitor, m.monitor.metadata.namespace!, namespaceLabels)));
      const usage = used.map(([m, where]) => `${m} (${[...new Set(where)].join('; ')})`).join(', ');
      expect(
        scraped.map((m) => m.via),
        `${env.name}: ${controller.name}: no ServiceMonitor or PodMonitor that a Prometheus selects scrapes ${workload}, whose metrics are used: ${usage}` +
          (monitors.length > 0 ? ` (unselected: ${monitors.map((m) => m.via).join(', ')})` : ''),
      ).not.toEqual([]);
      // Scraped once: a second monitor doubles every series (and may label them differently).
      expect(scraped.map((m) => m.via), `${env.name}: ${controller.name}: ${workload} is scraped by more than one monitor`).toHaveLength(1);
    },
  );
});

test('the CRDs validation uses ($K8S_CRDS) are the ones the charts install', () => {
  const dir = process.env.K8S_CRDS;
  expect(dir && existsSync(dir), `K8S_CRDS (${dir}) must name the CRD folder of .ci/install.d/20-k8s-schemas.sh`).toBeTruthy();
  const problems: string[] = [];
  for (const crd of chartCrds(environments)) {
    const file = join(dir!, `${crd.name}.yaml`);
    if (!existsSync(file)) {
      problems.push(`${crd.name} (${crd.from}): not in ${dir}`);
      continue;
    }
    const validated = parse(readFileSync(file, 'utf8')) as { metadata?: { annotations?: Record<string, string> } };
    const channel = validated.metadata?.annotations?.['gateway.networking.k8s.io/channel'];
    const bundle = validated.metadata?.annotations?.['gateway.networking.k8s.io/bundle-version'];
    // Held to the standard channel of the bundle the chart installs (docs/validation.md).
    if (channel === 'standard' && crd.annotations['gateway.networking.k8s.io/channel'] === 'experimental' && bundle === crd.annotations['gateway.networking.k8s.io/bundle-version']) continue;
    if (JSON.stringify(canonical(validated)) !== JSON.stringify(canonical(parse(crd.yaml, { version: '1.1' })))) {
      const version = (o: any) => o?.metadata?.annotations?.['controller-gen.kubebuilder.io/version'] ?? '?';
      problems.push(`${crd.name}: ${file} (controller-gen ${version(validated)}) differs from what ${crd.from} installs (controller-gen ${version(parse(crd.yaml, { version: '1.1' }))})`);
    }
  }
  expect(problems).toEqual([]);
});

test('docs/validation.md names the Gateway API bundle and channel the gateway chart installs', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'validation.md'), 'utf8').replace(/\s+/g, ' ');
  const gateway = chartCrds(environments).filter((c) => c.annotations['gateway.networking.k8s.io/bundle-version']);
  expect(gateway.length, 'the charts render Gateway API CRDs').toBeGreaterThan(0);
  for (const crd of gateway) {
    const release = environments.flatMap((e) => e.releases).find((r) => crd.from.includes(`HelmRelease ${r.namespace}/${r.release} `))!;
    const channel = crd.annotations['gateway.networking.k8s.io/channel'];
    const bundle = crd.annotations['gateway.networking.k8s.io/bundle-version'];
    expect(doc, crd.name).toContain(`The cluster has the **${channel}** channel: ${release.chart} ${release.version} bundles Gateway API ${bundle} of that channel`);
  }
});
