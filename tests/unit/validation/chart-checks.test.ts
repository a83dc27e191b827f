// The pure parts of the controller-charts test (tests/integration/controller-charts): metric
// names from PromQL, values keys a chart ignores, label selectors.
import { describe, expect, test } from 'vitest';
import { ignoredKeys } from '../../tools/charts/chart-values.js';
import { selects } from '../../tools/charts/monitors.js';
import { promqlMetrics } from '../../tools/promql-metrics.js';

describe('promqlMetrics', () => {
  test('reads metric names, not functions, keywords, label names, strings or durations', () => {
    const expr = 'sum by (scaledObject) (rate(keda_scaler_errors_total{namespace="up",job=~"a.*"}[5m])) > 0 and on (pod) kube_pod_info offset 1h';
    expect(promqlMetrics(expr)).toEqual(['keda_scaler_errors_total', 'kube_pod_info']);
  });
  test('a histogram quantile and an `or` of two metrics', () => {
    expect(promqlMetrics('histogram_quantile(0.99, sum by (le) (rate(envoy_rq_time_bucket[5m]))) or up{job="x"} == 0')).toEqual(['envoy_rq_time_bucket', 'up']);
  });
});

describe('ignoredKeys', () => {
  const chart = { a: { b: 1, c: { d: 2 } }, free: {}, list: [] };
  test('a key the chart does not declare is reported with its full path', () => {
    expect(ignoredKeys({ a: { c: { e: 1 } } }, chart, new Set()).map((k) => k.path)).toEqual(['a.c.e']);
  });
  test('keys under a free-form map need an allow-list entry', () => {
    expect(ignoredKeys({ free: { x: 1 } }, chart, new Set()).map((k) => k.path)).toEqual(['free']);
    expect(ignoredKeys({ free: { x: 1 } }, chart, new Set(['free']))).toEqual([]);
  });
  test('declared keys and lists pass', () => {
    expect(ignoredKeys({ a: { b: 3, c: { d: 4 } }, list: ['--x'] }, chart, new Set())).toEqual([]);
  });
});

describe('selects', () => {
  test('matchLabels and matchExpressions; {} selects all, undefined none', () => {
    expect(selects({}, { a: '1' })).toBe(true);
    expect(selects(undefined, { a: '1' })).toBe(false);
    expect(selects({ matchLabels: { a: '1' } }, { a: '2' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '2' })).toBe(false);
  });
});
