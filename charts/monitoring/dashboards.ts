/**
 * Grafana dashboards as JSON models (schemaVersion 39), shipped in ConfigMaps the Grafana
 * sidecar loads. Built from a tiny panel helper so every dashboard shares the datasource
 * variable, layout and naming; queries use the same metrics as the alerts (alert-rules.ts).
 */
import type { EnvironmentConfig } from '../../apps/config/index.js';
import { SERVICE_NAMES } from '../lib/names.js';
import { realtimeServer } from '../lib/realtime-servers.js';
import { DB_JOB, DB_NODE_JOB, promRegexLiteral } from './alert-rules.js';

interface Target { readonly expr: string; readonly legendFormat: string }
interface PanelSpec { readonly title: string; readonly unit?: string; readonly targets: readonly Target[] }

const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;

function panels(specs: readonly PanelSpec[]) {
  return specs.map((spec, i) => ({
    id: i + 1,
    type: 'timeseries',
    title: spec.title,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: PANEL_HEIGHT, w: PANEL_WIDTH, x: (i % 2) * PANEL_WIDTH, y: Math.floor(i / 2) * PANEL_HEIGHT },
    fieldConfig: { defaults: { unit: spec.unit ?? 'short' }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: spec.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legendFormat })),
  }));
}

export interface Dashboard { readonly uid: string; readonly title: string; readonly json: Record<string, unknown> }

function dashboard(config: EnvironmentConfig, slug: string, title: string, specs: readonly PanelSpec[]): Dashboard {
  const uid = `mkt-${config.name}-${slug}`.slice(0, 40);
  const fullTitle = `Marketplace ${config.name}: ${title}`;
  return {
    uid,
    title: fullTitle,
    json: {
      uid,
      title: fullTitle,
      tags: ['marketplace', config.name],
      timezone: 'utc',
      schemaVersion: 39,
      version: 1,
      editable: false,
      refresh: '30s',
      time: { from: 'now-6h', to: 'now' },
      templating: {
        list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source', current: {} }],
      },
      panels: panels(specs),
    },
  };
}

export function dashboards(config: EnvironmentConfig): Dashboard[] {
  const ns = `namespace="${config.namespace}"`;
  const realtime = realtimeServer(config);
  const fpm = `${ns},pod=~"${SERVICE_NAMES.web}-.*",pool="www"`;
  const route = `envoy_cluster_name=~"httproute/${config.namespace}/.*"`;
  const queues = `${ns},key=~"${promRegexLiteral(config.laravel.redisPrefix)}queues:.+"`;
  const hpa = (re: string) => `${ns},horizontalpodautoscaler=~"${re}"`;
  const db = `job="${DB_JOB}"`;

  return [
    dashboard(config, 'app', 'app overview', [
      { title: 'Requests per second by status class', unit: 'reqps', targets: [
        { expr: `sum by (envoy_response_code_class) (rate(envoy_cluster_upstream_rq_xx{${route}}[5m]))`, legendFormat: '{{envoy_response_code_class}}xx' },
      ] },
      { title: 'Request latency (p50, p95, p99)', unit: 'ms', targets: [0.5, 0.95, 0.99].map((q) => ({
        expr: `histogram_quantile(${q}, sum by (le) (rate(envoy_cluster_upstream_rq_time_bucket{${route}}[5m])))`, legendFormat: `p${q * 100}`,
      })) },
      { title: 'php-fpm saturation (busy / total children)', unit: 'percentunit', targets: [
        { expr: `sum(phpfpm_active_processes{${fpm}}) / sum(phpfpm_total_processes{${fpm}})`, legendFormat: 'web tier' },
      ] },
      { title: 'php-fpm listen queue and max_children reached', targets: [
        { expr: `sum(phpfpm_listen_queue{${fpm}})`, legendFormat: 'listen queue' },
        { expr: `sum(increase(phpfpm_max_children_reached{${fpm}}[5m]))`, legendFormat: 'max_children reached (5m)' },
      ] },
      { title: 'Web replicas (current / desired / max)', targets: [
        { expr: `kube_horizontalpodautoscaler_status_current_replicas{${hpa(SERVICE_NAMES.web)}}`, legendFormat: 'current' },
        { expr: `kube_horizontalpodautoscaler_status_desired_replicas{${hpa(SERVICE_NAMES.web)}}`, legendFormat: 'desired' },
        { expr: `kube_horizontalpodautoscaler_spec_max_replicas{${hpa(SERVICE_NAMES.web)}}`, legendFormat: 'max' },
      ] },
      { title: 'nginx active connections', targets: [
        { expr: `sum(nginx_connections_active{${ns},pod=~"${SERVICE_NAMES.web}-.*"})`, legendFormat: 'active' },
      ] },
    ]),
    dashboard(config, 'queues', 'queues', [
      { title: 'Ready jobs per queue (what KEDA scales on)', targets: [
        { expr: `redis_key_size{${queues},key!~".*:(delayed|reserved)"}`, legendFormat: '{{key}}' },
      ] },
      { title: 'Delayed and reserved jobs (not counted by KEDA)', targets: [
        { expr: `redis_key_size{${queues},key=~".*:(delayed|reserved)"}`, legendFormat: '{{key}}' },
      ] },
      { title: 'Worker replicas per group', targets: [
        { expr: `kube_horizontalpodautoscaler_status_current_replicas{${hpa('worker-.*')}}`, legendFormat: '{{horizontalpodautoscaler}}' },
      ] },
      { title: 'Worker groups at max replicas', targets: [
        { expr: `kube_horizontalpodautoscaler_status_current_replicas{${hpa('worker-.*')}} / kube_horizontalpodautoscaler_spec_max_replicas{${hpa('worker-.*')}}`, legendFormat: '{{horizontalpodautoscaler}}' },
      ] },
      { title: 'KEDA trigger values', targets: [
        { expr: `keda_scaler_metrics_value{${ns}}`, legendFormat: '{{scaledObject}} {{metric}}' },
      ] },
      { title: 'KEDA scaler errors', targets: [
        { expr: `sum by (scaledObject) (rate(keda_scaler_detail_errors_total{${ns}}[5m]))`, legendFormat: '{{scaledObject}}' },
      ] },
    ]),
    dashboard(config, 'soketi', `websockets (${realtime.title})`, [
      { title: 'Connections', targets: [
        { expr: `sum(${realtime.metrics.connected}{${ns}})`, legendFormat: 'total' },
        { expr: `${realtime.metrics.connected}{${ns}}`, legendFormat: '{{pod}}' },
      ] },
      { title: 'Messages per second', unit: 'ops', targets: [
        { expr: `sum(rate(${realtime.metrics.wsMessagesReceived}{${ns}}[5m]))`, legendFormat: 'received' },
        { expr: `sum(rate(${realtime.metrics.wsMessagesSent}{${ns}}[5m]))`, legendFormat: 'sent' },
      ] },
      { title: 'HTTP API calls (backend events)', unit: 'reqps', targets: [
        { expr: `sum(rate(${realtime.metrics.httpCallsReceived}{${ns}}[5m]))`, legendFormat: 'calls' },
      ] },
      { title: `${realtime.title} replicas`, targets: [
        { expr: `kube_horizontalpodautoscaler_status_current_replicas{${hpa(SERVICE_NAMES.soketi)}}`, legendFormat: 'current' },
        { expr: `kube_horizontalpodautoscaler_spec_max_replicas{${hpa(SERVICE_NAMES.soketi)}}`, legendFormat: 'max' },
      ] },
    ]),
    dashboard(config, 'database', 'database (MariaDB)', [
      { title: 'Queries per second', unit: 'qps', targets: [
        { expr: `rate(mysql_global_status_queries{${db}}[5m])`, legendFormat: '{{db_host}}' },
      ] },
      { title: 'Connections vs max_connections', targets: [
        { expr: `mysql_global_status_threads_connected{${db}}`, legendFormat: '{{db_host}} connected' },
        { expr: `mysql_global_variables_max_connections{${db}}`, legendFormat: '{{db_host}} max' },
      ] },
      { title: 'Replica lag', unit: 's', targets: [
        { expr: `mysql_slave_status_seconds_behind_master{${db}}`, legendFormat: '{{db_host}}' },
      ] },
      { title: 'InnoDB buffer pool hit rate', unit: 'percentunit', targets: [
        { expr: `1 - rate(mysql_global_status_innodb_buffer_pool_reads{${db}}[5m]) / rate(mysql_global_status_innodb_buffer_pool_read_requests{${db}}[5m])`, legendFormat: '{{db_host}}' },
      ] },
      { title: 'Slow queries per second', unit: 'qps', targets: [
        { expr: `rate(mysql_global_status_slow_queries{${db}}[5m])`, legendFormat: '{{db_host}}' },
      ] },
      { title: 'Node CPU busy', unit: 'percentunit', targets: [
        { expr: `1 - avg by (db_host) (rate(node_cpu_seconds_total{job="${DB_NODE_JOB}",mode="idle"}[5m]))`, legendFormat: '{{db_host}}' },
      ] },
    ]),
  ];
}
