/**
 * The platform's alerts, as PromQL over the metrics the monitors in monitoring-chart.ts collect.
 * Every rule has a promtool unit test (tests/promtool/), run against the rules extracted from
 * the synthesized PrometheusRule, so the tested rules are the deployed ones.
 *
 * Metric sources: hipages php-fpm_exporter (phpfpm_*), Soketi (soketi_connected), redis_exporter
 * with the queue keys checked (redis_key_size), kube-state-metrics (kube_*), KEDA's operator
 * (keda_*), Envoy Gateway's proxies (envoy_*), mysqld_exporter (mysql_*) on the DB VMs.
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';
import type { RuleGroup } from '../lib/prometheus-operator.js';
import { SERVICE_NAMES } from '../lib/names.js';
import { realtimeServer } from '../lib/realtime-servers.js';
import { websocketCapacity } from '../lib/soketi-limits.js';

/** Target labels the database ScrapeConfigs set (monitoring-chart.ts). */
export const DB_JOB = 'mariadb';
export const DB_NODE_JOB = 'mariadb-node';

/** Thresholds, in one place so the docs and the tests can quote them. */
export const ALERT_THRESHOLDS = {
  fpmSaturation: 0.9,
  soketiCapacityFraction: 0.8,
  http5xxRatio: 0.05,
  replicaLagSeconds: 30,
  dbConnectionsFraction: 0.8,
} as const;

/** Escapes a literal for a PromQL regex matcher. */
export function promRegexLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\\\$&');
}

export function alertRuleGroups(config: EnvironmentConfig): RuleGroup[] {
  const ns = `namespace="${config.namespace}"`;
  const queueKey = `key=~"${promRegexLiteral(config.laravel.redisPrefix)}queues:[^:]+"`;
  const fpm = `${ns},pod=~"${SERVICE_NAMES.web}-.*",pool="www"`;
  const workerHpa = `${ns},horizontalpodautoscaler=~"worker-.*"`;
  const route = `envoy_cluster_name=~"httproute/${config.namespace}/.*"`;
  const wsCapacity = websocketCapacity(config).total;
  const t = ALERT_THRESHOLDS;
  const docs = 'docs/scaling.md';

  return [
    {
      name: 'marketplace-queues',
      rules: [
        {
          alert: 'QueueBacklogGrowing',
          expr: `redis_key_size{${ns},${queueKey}} > 0 and deriv(redis_key_size{${ns},${queueKey}}[15m]) > 0`,
          for: '15m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Queue {{ $labels.key }} keeps growing',
            description: 'The ready list {{ $labels.key }} has grown for 15 minutes and holds {{ $value }} jobs: workers do not keep up.',
            runbook: docs,
          },
        },
        {
          alert: 'QueueWorkersAtMaxReplicas',
          expr: `kube_horizontalpodautoscaler_status_current_replicas{${workerHpa}} >= kube_horizontalpodautoscaler_spec_max_replicas{${workerHpa}}`,
          for: '15m',
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $labels.horizontalpodautoscaler }} has run at its maximum replicas for 15 minutes',
            description: 'The worker group cannot scale further; raise workers[].replicas.max if the database connection budget allows.',
            runbook: docs,
          },
        },
      ],
    },
    {
      name: 'marketplace-web',
      rules: [
        {
          alert: 'WebHigh5xxRate',
          expr:
            `sum(rate(envoy_cluster_upstream_rq_xx{${route},envoy_response_code_class="5"}[5m])) / ` +
            `sum(rate(envoy_cluster_upstream_rq_total{${route}}[5m])) > ${t.http5xxRatio}`,
          for: '5m',
          labels: { severity: 'critical' },
          annotations: {
            summary: 'More than 5% of app requests fail with 5xx',
            description: '{{ $value | humanizePercentage }} of the requests routed to the app answered 5xx over 5 minutes.',
            runbook: docs,
          },
        },
        {
          alert: 'PhpFpmSaturated',
          expr: `sum(phpfpm_active_processes{${fpm}}) / sum(phpfpm_total_processes{${fpm}}) > ${t.fpmSaturation}`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'php-fpm children are more than 90% busy across the web tier',
            description: '{{ $value | humanizePercentage }} of php-fpm children are busy; requests queue in the listen backlog.',
            runbook: docs,
          },
        },
      ],
    },
    {
      name: 'marketplace-websockets',
      rules: [
        {
          alert: 'SoketiNearCapacity',
          expr: `sum(${realtimeServer(config).metrics.connected}{${ns},pod=~"${SERVICE_NAMES.soketi}-.*"}) > ${Math.floor(wsCapacity * t.soketiCapacityFraction)}`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Websocket connections above 80% of capacity',
            description:
              `{{ $value }} connections, above 80% of what ${realtimeServer(config).title} at max replicas and the NodeBalancers hold: ` +
              'raise soketi.replicas.max or capacity.nodeBalancers.',
            runbook: docs,
          },
        },
      ],
    },
    {
      name: 'marketplace-database',
      rules: [
        {
          alert: 'DatabaseDown',
          expr: `min by (db_host, db_role) (mysql_up{job="${DB_JOB}"} or up{job="${DB_JOB}"}) == 0`,
          for: '1m',
          labels: { severity: 'critical' },
          annotations: {
            summary: 'MariaDB {{ $labels.db_host }} ({{ $labels.db_role }}) is down or unreachable',
            description: 'mysqld_exporter cannot reach MariaDB, or Prometheus cannot reach the exporter, for 1 minute.',
            runbook: 'docs/database.md',
          },
        },
        {
          alert: 'DatabaseReplicaLag',
          expr: `mysql_slave_status_seconds_behind_master{job="${DB_JOB}"} > ${t.replicaLagSeconds}`,
          for: '5m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Replica {{ $labels.db_host }} is {{ $value }}s behind the primary',
            description: 'Reads from the replica return stale data; sticky sessions only cover the writing request.',
            runbook: 'docs/database.md',
          },
        },
        {
          alert: 'DatabaseConnectionsHigh',
          expr:
            `mysql_global_status_threads_connected{job="${DB_JOB}"} / ` +
            `mysql_global_variables_max_connections{job="${DB_JOB}"} > ${t.dbConnectionsFraction}`,
          for: '5m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'MariaDB {{ $labels.db_host }} uses more than 80% of max_connections',
            description: '{{ $value | humanizePercentage }} of max_connections in use; the capacity budget says the app should stay below it.',
            runbook: docs,
          },
        },
      ],
    },
    {
      name: 'marketplace-pods',
      rules: [
        {
          alert: 'PodCrashLooping',
          expr: `max_over_time(kube_pod_container_status_waiting_reason{${ns},reason="CrashLoopBackOff"}[5m]) >= 1`,
          for: '15m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Container {{ $labels.container }} of {{ $labels.pod }} is crash-looping',
            description: 'The container has been in CrashLoopBackOff for 15 minutes.',
          },
        },
        {
          alert: 'KedaScalerErrors',
          expr: `sum by (scaledObject) (rate(keda_scaler_detail_errors_total{${ns}}[5m])) > 0`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'KEDA cannot read a trigger of {{ $labels.scaledObject }}',
            description: 'While a scaler errors, the workload does not scale on that trigger (Prometheus or Redis unreachable?).',
            runbook: docs,
          },
        },
      ],
    },
  ];
}
