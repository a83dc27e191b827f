/**
 * The monitoring chart against the workloads it watches: every PodMonitor endpoint names a
 * container port that a selected pod really exposes (the exporter contracts), the database VMs
 * are scraped on both exporters, the alert set is complete, and dashboards load in Grafana.
 */
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { loadEnvironments } from '../../apps/load.js';
import { appCharts } from '../../charts/index.js';
import { GATEWAY_REF } from '../../charts/lib/names.js';
import { REALTIME_SERVERS } from '../../charts/lib/realtime-servers.js';

const environments = await loadEnvironments();

interface Obj { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec: any; data?: Record<string, string> }

describe.each(environments.map((e) => [e.name, e.config] as const))('environment %s', (_name, config) => {
  const all = appCharts(new App(), config).flatMap((c) => c.toJson() as Obj[]);
  const of = (kind: string) => all.filter((o) => o.kind === kind);
  const pods = [...of('Deployment'), ...of('StatefulSet')].map((w) => ({
    labels: w.spec.template.metadata.labels as Record<string, string>,
    ports: (w.spec.template.spec.containers as any[]).flatMap((c) => (c.ports ?? []).map((p: any) => p.name as string)),
  }));
  const matches = (selector: any, labels: Record<string, string>) =>
    Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
    (selector.matchExpressions ?? []).every((e: any) => e.operator === 'In' && e.values.includes(labels[e.key]));

  it('monitors php-fpm, nginx, Soketi, Redis, Meilisearch in the app namespace, KEDA and the Envoy proxies in theirs', () => {
    expect(of('PodMonitor').map((m) => m.metadata.name).sort()).toEqual(['envoy-proxy', 'keda-operator', 'meilisearch', 'redis', 'soketi', 'web']);
    const keda = of('PodMonitor').find((m) => m.metadata.name === 'keda-operator')!;
    expect(keda.spec.namespaceSelector).toEqual({ matchNames: ['keda'] });
    const envoy = of('PodMonitor').find((m) => m.metadata.name === 'envoy-proxy')!;
    expect(envoy.spec.namespaceSelector).toEqual({ matchNames: [GATEWAY_REF.namespace] });
    for (const o of [...of('PodMonitor'), ...of('PrometheusRule'), ...of('ScrapeConfig')]) {
      expect(o.metadata.labels?.release, o.metadata.name).toBe('kube-prometheus-stack');
    }
  });

  it('scrapes only ports that the selected pods expose (exporter contracts)', () => {
    for (const monitor of of('PodMonitor').filter((m) => !m.spec.namespaceSelector)) {
      const selected = pods.filter((p) => matches(monitor.spec.selector, p.labels));
      expect(selected.length, `${monitor.metadata.name} selects no pod`).toBeGreaterThan(0);
      for (const endpoint of monitor.spec.podMetricsEndpoints) {
        for (const pod of selected) expect(pod.ports, `${monitor.metadata.name}: port ${endpoint.port}`).toContain(endpoint.port);
      }
    }
  });

  it('scrapes mysqld_exporter (9104) and node_exporter (9100) on the primary and every replica', () => {
    const hosts = [config.database.primary, ...config.database.replicas];
    const targets = (name: string) => of('ScrapeConfig').find((s) => s.metadata.name === name)!.spec.staticConfigs
      .flatMap((g: any) => g.targets);
    expect(targets('mariadb')).toEqual(hosts.map((h) => `${h.privateIp}:9104`));
    expect(targets('mariadb-node')).toEqual(hosts.map((h) => `${h.privateIp}:9100`));
  });

  it('alerts on every condition the platform promises', () => {
    const rules = of('PrometheusRule').flatMap((r) => r.spec.groups).flatMap((g: any) => g.rules);
    expect(rules.map((r: any) => r.alert).sort()).toEqual([
      'DatabaseConnectionsHigh', 'DatabaseDown', 'DatabaseReplicaLag', 'KedaScalerErrors', 'PhpFpmSaturated',
      'PodCrashLooping', 'QueueBacklogGrowing', 'QueueWorkersAtMaxReplicas', 'SoketiNearCapacity', 'WebHigh5xxRate',
    ]);
    for (const rule of rules) {
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(0);
    }
  });

  it('ships four dashboards as JSON in ConfigMaps the Grafana sidecar loads', () => {
    const boards = of('ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
    const titles = boards.map((c) => JSON.parse(Object.values(c.data!)[0]!).title as string);
    expect(titles).toEqual([
      `Marketplace ${config.name}: app overview`, `Marketplace ${config.name}: queues`,
      `Marketplace ${config.name}: websockets (${REALTIME_SERVERS[config.realtime.server].title})`, `Marketplace ${config.name}: database (MariaDB)`,
    ]);
    const uids = new Set<string>();
    for (const board of boards) {
      const json = JSON.parse(Object.values(board.data!)[0]!);
      expect(uids.has(json.uid), json.uid).toBe(false);
      uids.add(json.uid);
      for (const panel of json.panels) expect(panel.targets.length, panel.title).toBeGreaterThan(0);
    }
  });
});
