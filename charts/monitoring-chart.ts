/**
 * What Prometheus and Grafana need from the app layer (the GitOps layer installs
 * kube-prometheus-stack; see lib/platform-services.ts for the names it must keep):
 * - PodMonitors for the exporters and metrics ports of each workload, and for KEDA's operator;
 * - ScrapeConfigs for mysqld_exporter (9104) and node_exporter (9100) on the database VMs, which
 *   are outside the cluster, so no Pod or Service exists to select;
 * - the PrometheusRule with every alert (monitoring/alert-rules.ts);
 * - Grafana dashboards in ConfigMaps the Grafana sidecar loads (monitoring/dashboards.ts).
 *
 * ScrapeConfig (monitoring.coreos.com/v1alpha1) over an additional-scrape-configs Secret: it is
 * a typed object the operator validates and the schema tests check, it lives in the app's
 * namespace next to the rest, and it needs no Secret holding raw Prometheus YAML.
 */
import * as k8s from '../imports/k8s.js';
import { Construct } from 'constructs';
import { objectLabels, selectorLabels } from './lib/labels.js';
import { SERVICE_NAMES } from './lib/names.js';
import { PlatformChart, type PlatformChartProps } from './lib/platform-chart.js';
import { PLATFORM_NAMESPACES, GRAFANA_DASHBOARD_LABEL, PROMETHEUS_SELECTOR_LABELS } from './lib/platform-services.js';
import { ENVOY_PROXY_METRICS, ENVOY_PROXY_POD_LABELS } from './flux/gateway-chart.js';
import { GATEWAY_NAMESPACE } from './flux/controllers.js';
import type { ScrapeConfigSpecStaticConfigs } from '../imports/monitoring.coreos.com.js';
import { PodMonitor, PrometheusRule, ScrapeConfig, type PodMetricsEndpoint } from './lib/prometheus-operator.js';
import { SECRETS } from './lib/secrets.js';
import { alertRuleGroups, DB_JOB, DB_NODE_JOB } from './monitoring/alert-rules.js';
import { dashboards } from './monitoring/dashboards.js';

/** Exporter ports on the database VMs (installed by the Ansible role). */
export const DB_EXPORTER_PORTS = { mysqld: 9104, node: 9100 } as const;

export class MonitoringChart extends PlatformChart {
  readonly fileName = 'monitoring.yaml';

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    const labels = (name: string) => ({ ...objectLabels(config, name, 'monitoring'), ...PROMETHEUS_SELECTOR_LABELS });

    const podMonitor = (name: string, selectorName: string | string[], endpoints: PodMetricsEndpoint[]) => {
      const names = Array.isArray(selectorName) ? selectorName : [selectorName];
      new PodMonitor(this, `${name}-pod-monitor`, {
        metadata: { name, labels: labels(name) },
        spec: {
          selector:
            names.length === 1
              ? { matchLabels: selectorLabels(names[0]!) }
              : { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: names }] },
          podMetricsEndpoints: endpoints,
        },
      });
    };

    podMonitor(SERVICE_NAMES.web, SERVICE_NAMES.web, [
      { port: 'fpm-metrics', interval: '15s' },
      { port: 'nginx-metrics', interval: '15s' },
    ]);
    podMonitor(SERVICE_NAMES.soketi, SERVICE_NAMES.soketi, [{ port: 'metrics', interval: '15s' }]);
    podMonitor('redis', config.redis.merged ? SERVICE_NAMES.redisQueue : [SERVICE_NAMES.redisQueue, SERVICE_NAMES.redisCache], [
      { port: 'metrics', interval: '30s' },
    ]);
    // Meilisearch serves /metrics on its API port and requires an API key; the master key is the
    // only one declared today (see docs/scaling.md: a metrics-only key is the follow-up).
    podMonitor(SERVICE_NAMES.meilisearch, SERVICE_NAMES.meilisearch, [
      {
        port: 'http',
        path: '/metrics',
        interval: '60s',
        authorization: { type: 'Bearer', credentials: { name: SECRETS.meilisearch.name, key: SECRETS.meilisearch.keys[0] } },
      },
    ]);

    // KEDA's operator runs in its own namespace; its metrics carry the ScaledObject's namespace,
    // which honorLabels keeps (the alerts filter on it).
    new PodMonitor(this, 'keda-pod-monitor', {
      metadata: { name: 'keda-operator', labels: labels('keda-operator') },
      spec: {
        namespaceSelector: { matchNames: [PLATFORM_NAMESPACES.keda] },
        selector: { matchLabels: { 'app.kubernetes.io/name': 'keda-operator' } },
        podMetricsEndpoints: [{ port: 'metrics', interval: '30s', honorLabels: true }],
      },
    });

    // The Gateway's Envoy proxies (WebHigh5xxRate and the request panels read envoy_*): Envoy
    // Gateway creates their Deployment, so the pods are selected by the labels it sets.
    new PodMonitor(this, 'envoy-pod-monitor', {
      metadata: { name: 'envoy-proxy', labels: labels('envoy-proxy') },
      spec: {
        namespaceSelector: { matchNames: [GATEWAY_NAMESPACE] },
        selector: { matchLabels: ENVOY_PROXY_POD_LABELS },
        podMetricsEndpoints: [{ port: ENVOY_PROXY_METRICS.portName, path: ENVOY_PROXY_METRICS.path, interval: '15s' }],
      },
    });

    const dbHosts = [
      { host: config.database.primary, role: 'primary' },
      ...config.database.replicas.map((host) => ({ host, role: 'replica' })),
    ];
    for (const [job, port] of [[DB_JOB, DB_EXPORTER_PORTS.mysqld], [DB_NODE_JOB, DB_EXPORTER_PORTS.node]] as const) {
      new ScrapeConfig(this, `${job}-scrape`, {
        metadata: { name: job, labels: labels(job) },
        scrapeInterval: '30s',
        staticConfigs: dbHosts.map(({ host, role }): ScrapeConfigSpecStaticConfigs => ({
          targets: [`${host.privateIp}:${port}`],
          // Target labels win over the defaults: `job` is stable whatever the operator names the
          // scrape job, and db_host/db_role label every alert.
          labels: { job, db_host: host.name, db_role: role, environment: config.name },
        })),
      });
    }

    new PrometheusRule(this, 'alerts', {
      metadata: { name: 'marketplace-alerts', labels: labels('marketplace-alerts') },
      groups: alertRuleGroups(config),
    });

    for (const board of dashboards(config)) {
      new k8s.KubeConfigMap(this, `dashboard-${board.uid}`, {
        metadata: {
          name: `dashboard-${board.uid.replace(/^mkt-/, '')}`,
          labels: { ...objectLabels(config, 'dashboards', 'monitoring'), ...GRAFANA_DASHBOARD_LABEL },
        },
        data: { [`${board.uid}.json`]: JSON.stringify(board.json, null, 2) },
      });
    }
  }
}
