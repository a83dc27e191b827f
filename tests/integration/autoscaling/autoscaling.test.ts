/**
 * Autoscaling on the real controllers (issue 21), for one environment. tests/suites/56-autoscaling.sh
 * starts what this reads: a control plane with the environment's layers applied and pods made
 * Ready by the node simulator; KEDA's operator, metrics adapter and admission webhooks and
 * metrics-server, each with its pinned chart's flags and RBAC; the queue Redis, a Soketi and
 * Prometheus under the in-cluster names the ScaledObjects dial (tests/control-plane/data-plane.ts).
 *
 * Every expectation comes from the committed objects or the config, never a number of this file:
 * the HPA KEDA must create is read off the ScaledObject, the queue key is the one Laravel writes
 * (REDIS_PREFIX + "queues:" + the --queue of the worker's command line, tools/diff/laravel-facts),
 * the replica counts follow jobsPerReplica / connectionsPerPod of the environment config.
 * Waits are bounded by what the ScaledObject allows: its pollingInterval plus two HPA syncs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentConfig } from '../../../apps/config/index.js';
import type { K8sObject } from '../../../policies/manifest.js';
import { consumedQueues, laravelContainers, redisPrefixOf } from '../../../tools/diff/laravel-facts.js';
import { environmentObjects } from '../../tools/charts/environment-charts.js';
import { PusherClient } from '../soketi/pusher-protocol.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- API objects as JSON */
const ENV = process.env.AUTOSCALING_ENV!;
const KUBECONFIG = process.env.AUTOSCALING_KUBECONFIG!;
const DATA_PLANE = JSON.parse(readFileSync(process.env.AUTOSCALING_DATA_PLANE!, 'utf8'));
const CPU_USAGE_FILE = process.env.AUTOSCALING_CPU_USAGE!;
/** kube-controller-manager's --horizontal-pod-autoscaler-sync-period (its default, not changed). */
const HPA_SYNC_SECONDS = 15;
/** Prometheus' scrape interval of the monitors (their endpoints say 15s). */
const SCRAPE_SECONDS = 15;
/**
 * kube-controller-manager's --horizontal-pod-autoscaler-tolerance (its default): the HPA leaves the
 * count alone while the metric is within 10% of its target, so each load below is chosen half a
 * replica past a boundary, where ceil(load / per replica) is what the HPA must reach.
 */
const HPA_TOLERANCE = 0.1;
/** How long a scale-down must not happen after the load is gone: two HPA syncs (a missing window acts at the first). */
const HOLD_SECONDS = 2 * HPA_SYNC_SECONDS;

const env = (await environmentObjects()).find((e) => e.name === ENV);
if (!env) throw new Error(`AUTOSCALING_ENV=${ENV}: no such environment`);
const config: EnvironmentConfig = env.config;
const objects: K8sObject[] = env.objects;
const namespace = config.namespace;
const scaledObjects = objects.filter((o) => o.kind === 'ScaledObject');

function kubectl(args: string[]): any {
  return JSON.parse(execFileSync('kubectl', ['--kubeconfig', KUBECONFIG, '-n', namespace, ...args, '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

function redis(args: string[], input?: string): string {
  return execFileSync('redis-cli', ['-h', DATA_PLANE.redis.host, '-p', String(DATA_PLANE.redis.port), ...args], {
    env: { PATH: process.env.PATH, REDISCLI_AUTH: DATA_PLANE.redis.password }, encoding: 'utf8', input,
  }).trim();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replicas { spec: number; ready: number }
function replicas(deployment: string): Replicas {
  const d = kubectl(['get', 'deployment', deployment]);
  return { spec: d.spec.replicas ?? 0, ready: d.status.readyReplicas ?? 0 };
}

/** Polls until the Deployment has `want` replicas, all Ready; returns the seconds it took. */
async function reaches(deployment: string, want: number, withinSeconds: number, since = Date.now()): Promise<number> {
  let last: Replicas = { spec: -1, ready: -1 };
  while ((Date.now() - since) / 1000 <= withinSeconds) {
    last = replicas(deployment);
    if (last.spec === want && last.ready === want) return Math.round((Date.now() - since) / 100) / 10;
    await sleep(1000);
  }
  throw new Error(`${deployment}: ${last.spec} replicas (${last.ready} ready) after ${withinSeconds} s, expected ${want}`);
}

/** Watches the Deployment for `seconds`; returns every replica count it had. */
async function watchReplicas(deployment: string, seconds: number): Promise<number[]> {
  const seen: number[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    seen.push(replicas(deployment).spec);
    await sleep(2000);
  }
  return seen;
}

function hpaCondition(name: string, type: string): { status: string; reason: string } | undefined {
  return kubectl(['get', 'hpa', name]).status?.conditions?.find((c: any) => c.type === type);
}

const hpaName = (so: K8sObject) => so.spec.advanced?.horizontalPodAutoscalerConfig?.name ?? `keda-hpa-${so.metadata.name}`;
const clamp = (n: number, so: K8sObject) => Math.min(so.spec.maxReplicaCount, Math.max(Math.max(so.spec.minReplicaCount, 1), n));
/** The longest a scale-up may take: the ScaledObject's polling interval plus two HPA syncs, and a scrape for Prometheus triggers. */
const scaleUpBound = (so: K8sObject, scraped = false) => (so.spec.pollingInterval ?? 30) + 2 * HPA_SYNC_SECONDS + (scraped ? 2 * SCRAPE_SECONDS : 0) + 10;

/** The HPA metric a KEDA trigger becomes (KEDA's HPA builder): CPU as a Resource, the rest External. */
function expectedMetric(trigger: any, so: K8sObject): any {
  if (trigger.type === 'cpu') {
    return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: Number(trigger.metadata.value) } } };
  }
  const target = trigger.type === 'redis'
    ? { type: 'AverageValue', averageValue: String(trigger.metadata.listLength) }
    : trigger.metricType === 'Value'
      ? { type: 'Value', value: String(trigger.metadata.threshold) }
      : { type: 'AverageValue', averageValue: String(trigger.metadata.threshold) };
  return { type: 'External', external: { metric: { selector: { matchLabels: { 'scaledobject.keda.sh/name': so.metadata.name } } }, target } };
}

/** The env and queues Laravel's worker gets, from the worker Deployment (as the app reads them). */
function workerQueueKey(group: EnvironmentConfig['workers'][number]): { key: string; deployment: string } {
  const deployment = `worker-${group.name}`;
  const container = laravelContainers(objects).find((c) => c.ownerKind === 'Deployment' && c.ownerName === deployment && consumedQueues(c).length > 0);
  if (!container) throw new Error(`${ENV}: Deployment ${deployment} runs no queue:work`);
  return { key: `${redisPrefixOf(container)}queues:${consumedQueues(container)[0]}`, deployment };
}

beforeAll(() => {
  expect(scaledObjects.length).toBeGreaterThan(0);
});

describe(`${ENV}: KEDA turns every ScaledObject into the HPA it implies`, () => {
  it.each(scaledObjects.map((so) => [so.metadata.name, so]))('%s', async (_name, so: any) => {
    let hpa: any;
    for (let i = 0; i < 60 && !hpa; i++) {
      try { hpa = kubectl(['get', 'hpa', hpaName(so)]); } catch { await sleep(1000); }
    }
    expect(hpa, `no HPA ${hpaName(so)} for ScaledObject ${so.metadata.name}`).toBeDefined();
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: so.spec.scaleTargetRef.name });
    expect(hpa.spec.minReplicas).toBe(Math.max(1, so.spec.minReplicaCount));
    expect(hpa.spec.maxReplicas).toBe(so.spec.maxReplicaCount);
    expect(hpa.spec.behavior).toEqual(so.spec.advanced.horizontalPodAutoscalerConfig.behavior);
    // KEDA lists the external metrics in trigger order, then the resource metrics.
    const triggers = so.spec.triggers as any[];
    const expected = [...triggers.filter((t) => t.type !== 'cpu'), ...triggers.filter((t) => t.type === 'cpu')].map((t) => expectedMetric(t, so));
    // The API server canonicalizes quantities ("0.7" is stored as "700m"): compare their values.
    const comparable = (m: any) => m.type !== 'External' ? m : {
      ...m, external: { metric: { selector: m.external.metric.selector }, target: Object.fromEntries(Object.entries(m.external.target).map(([k, v]) => [k, k === 'type' ? v : quantity(String(v))])) },
    };
    expect(hpa.spec.metrics.map(comparable)).toEqual(expected.map(comparable));
  });
});

/** Server-side dry-run apply of `object`; returns kubectl's output, and whether it was accepted. */
function dryRunApply(object: unknown): { ok: boolean; output: string } {
  try {
    const output = execFileSync('kubectl', ['--kubeconfig', KUBECONFIG, 'apply', '--server-side', '--dry-run=server', '--field-manager=autoscaling-test', '-f', '-'], {
      input: JSON.stringify(object), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { ok: true, output };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: string }).stderr ?? error) };
  }
}

// KEDA's webhook fails open (failurePolicy Ignore): only a refusal proves it is in the loop.
describe(`${ENV}: KEDA's admission webhook (the real one) checks the ScaledObjects`, () => {
  it.each(scaledObjects.map((so) => [so.metadata.name, so]))('accepts %s as generated', (_name, so: any) => {
    const result = dryRunApply(so);
    expect(result.ok, result.output).toBe(true);
  });

  it('refuses a second ScaledObject for a workload that already has one', () => {
    const so = scaledObjects[0]!;
    const second = { ...so, metadata: { ...so.metadata, name: `${so.metadata.name}-second` }, spec: { ...so.spec, advanced: undefined } };
    const result = dryRunApply(second);
    expect(result.ok, 'the webhook let a second ScaledObject take the same workload').toBe(false);
    expect(result.output).toMatch(/is already managed by the (ScaledObject|hpa) /);
  });
});

/** A group's test waits out its cooldown when it scales to zero, on top of the scale-up and hold. */
const GROUP_TEST_TIMEOUT_MS = (Math.max(...scaledObjects.map((so) => so.spec.cooldownPeriod ?? 300)) + 300) * 1000;

// The loads below touch different Deployments: they run at once (the suite's time is CI's).
describe(`${ENV}: load drives the replicas (queue depth per worker group, websockets, CPU)`, () => {
  const results: string[] = [];
  afterAll(() => { if (results.length) console.log(`\n${ENV}: group | jobs pushed | replicas expected | reached | seconds\n${results.join('\n')}`); });

  it.concurrent.each(config.workers.map((g) => [g.name, g]))('queue depth: worker-%s', async (_name, group: any) => {
    const so = scaledObjects.find((o) => o.spec.scaleTargetRef.name === `worker-${group.name}`)!;
    const { key, deployment } = workerQueueKey(group);
    const toZero = so.spec.minReplicaCount === 0;
    expect(toZero, 'scaleToZero in the config is minReplicaCount 0 in the ScaledObject').toBe(group.scaleToZero === true);
    if (toZero) {
      // Never active yet: KEDA takes it to zero at once. The first job wakes it (activation).
      await reaches(deployment, 0, scaleUpBound(so));
      const woken = Date.now();
      redis(['RPUSH', key, JSON.stringify({ uuid: 'first-job', displayName: 'App\\Jobs\\Probe' })]);
      const activated = await reaches(deployment, 1, scaleUpBound(so), woken);
      results.push(`worker-${group.name} (0 -> 1, activation) | 1 | 1 | ${replicas(deployment).spec} | ${activated}`);
    } else {
      await reaches(deployment, Math.max(so.spec.minReplicaCount, 1), 60);
    }
    // Enough jobs for two replicas above the minimum (or the maximum), half a replica short of it.
    const from = Math.max(so.spec.minReplicaCount, 1);
    const want = Math.min(so.spec.maxReplicaCount, from + 2);
    const jobs = Math.round(group.jobsPerReplica * (want - 0.5));
    expect(clamp(Math.ceil(jobs / group.jobsPerReplica), so)).toBe(want);
    expect(jobs / (group.jobsPerReplica * from) - 1).toBeGreaterThan(HPA_TOLERANCE);
    redis(['DEL', key]);
    const pushed = Date.now();
    redis([], Array.from({ length: jobs }, (_, i) => `RPUSH ${key} ${JSON.stringify(JSON.stringify({ uuid: `job-${i}`, displayName: 'App\\Jobs\\Probe' }))}`).join('\n'));
    expect(Number(redis(['LLEN', key]))).toBe(jobs);
    const seconds = await reaches(deployment, want, scaleUpBound(so), pushed);
    results.push(`worker-${group.name} | ${jobs} | ${want} | ${replicas(deployment).spec} | ${seconds}`);
    // No overshoot while the queue stays: the count holds over the next sync.
    expect(new Set(await watchReplicas(deployment, HPA_SYNC_SECONDS + 5))).toEqual(new Set([want]));

    // Drained: the scale-down waits out its stabilization window; never below the minimum.
    redis(['DEL', key]);
    const drainedAt = Date.now();
    const window = so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds;
    expect(window).toBeGreaterThan(HOLD_SECONDS);
    const held = await watchReplicas(deployment, HOLD_SECONDS);
    expect(Math.min(...held), `${deployment} scaled down within ${HOLD_SECONDS} s of the drain (window ${window} s)`).toBe(want);
    const ableToScale = hpaCondition(hpaName(so), 'AbleToScale');
    expect(ableToScale?.reason, 'the HPA wants fewer replicas and the window holds them').toBe('ScaleDownStabilized');
    if (!toZero) return;
    // Back to zero cooldownPeriod after the last poll that saw the queue non-empty (KEDA), not
    // before: that poll was at most one pollingInterval before the drain.
    const cooldown = so.spec.cooldownPeriod ?? 300;
    const toZeroSeconds = await reaches(deployment, 0, cooldown + scaleUpBound(so), drainedAt);
    expect(toZeroSeconds, `${deployment} went to zero before its cooldown of ${cooldown} s`).toBeGreaterThanOrEqual(cooldown - (so.spec.pollingInterval ?? 30));
    results.push(`worker-${group.name} (-> 0 after the cooldown of ${cooldown} s) | 0 | 0 | ${replicas(deployment).spec} | ${toZeroSeconds}`);
  }, GROUP_TEST_TIMEOUT_MS);

  const clients: PusherClient[] = [];
  afterAll(() => { for (const c of clients) c.close(); });

  it.concurrent('Soketi: sum(soketi_connected) / connectionsPerPod replicas, then the slow scale-down holds them', async () => {
    const so = scaledObjects.find((o) => o.spec.scaleTargetRef.name === 'soketi')!;
    await reaches('soketi', Math.max(so.spec.minReplicaCount, 1), 120);
    const from = Math.max(so.spec.minReplicaCount, 1);
    const want = Math.min(so.spec.maxReplicaCount, from + 1);
    const connections = Math.round(config.soketi.connectionsPerPod * (want - 0.5));
    expect(clamp(Math.ceil(connections / config.soketi.connectionsPerPod), so)).toBe(want);
    expect(connections / (config.soketi.connectionsPerPod * from) - 1).toBeGreaterThan(HPA_TOLERANCE);
    const started = Date.now();
    for (let i = 0; i < connections; i += 100) {
      clients.push(...await Promise.all(Array.from({ length: Math.min(100, connections - i) }, () => PusherClient.connect(DATA_PLANE.soketi.port, DATA_PLANE.soketi.app.key))));
    }
    const seconds = await reaches('soketi', want, scaleUpBound(so, true) + (Date.now() - started) / 1000, started);
    console.log(`\n${ENV}: soketi | ${connections} connections | ${want} replicas expected | reached in ${seconds} s`);
    for (const c of clients.splice(0)) c.close();
    const held = await watchReplicas('soketi', HOLD_SECONDS);
    expect(Math.min(...held), 'Soketi scaled down right after the clients left').toBe(want);
  });

  it.concurrent('web: a CPU load of (min + 0.5) pods at the CPU target gives min + 1 replicas', async () => {
    const so = scaledObjects.find((o) => o.spec.scaleTargetRef.name === 'web')!;
    const target = Number(so.spec.triggers.find((t: any) => t.type === 'cpu').metadata.value);
    const from = Math.max(so.spec.minReplicaCount, 1);
    await reaches('web', from, 60);
    const web = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    // The HPA's utilization: a pod's usage over the sum of its containers' requests.
    const requestMillis = (web.spec.template.spec.containers as any[]).reduce((sum, c) => sum + milli(c.resources?.requests?.cpu), 0);
    const load = Math.round(requestMillis * (target / 100) * (from + 0.5));
    // desired = ceil(current x utilization / target) = ceil(load / (request x target)), whatever the pod count.
    const want = clamp(Math.ceil(load / (requestMillis * target / 100)), so);
    const started = Date.now();
    writeUsage({ [`${namespace}/web-`]: load });
    try {
      const seconds = await reaches('web', want, scaleUpBound(so) + 2 * SCRAPE_SECONDS, started);
      console.log(`\n${ENV}: web | CPU load ${load}m over ${requestMillis}m requested per pod, target ${target}% | ${want} replicas expected | reached in ${seconds} s`);
      expect(new Set(await watchReplicas('web', 2 * HPA_SYNC_SECONDS))).toEqual(new Set([want]));
    } finally {
      writeUsage({});
    }
  });
});

describe(`${ENV}: Redis down`, () => {
  it('the worker groups hold their replicas and KedaScalerErrors\' expression is true on what KEDA exposes', async () => {
    const workers = scaledObjects.filter((so) => so.spec.triggers.some((t: any) => t.type === 'redis'));
    const rule = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules)).find((r: any) => r.alert === 'KedaScalerErrors');
    expect(rule, 'no KedaScalerErrors rule in the environment').toBeDefined();
    const query = async () => JSON.parse(await (await fetch(`${DATA_PLANE.prometheus.url}/api/v1/query?query=${encodeURIComponent(rule.expr)}`)).text()).data.result.map((r: any) => r.metric.scaledObject) as string[];
    expect(await query(), 'KedaScalerErrors is already true while Redis answers').toEqual([]);
    process.kill(DATA_PLANE.redis.pid, 'SIGKILL');
    const stopped = Date.now();
    // Once each HPA has seen its queue metric fail, its count holds: an HPA with an invalid metric
    // does not scale down (a scale-down the HPA had decided before may still land, so the count
    // is taken when the failure shows).
    const bound = (so: any) => (so.spec.pollingInterval ?? 30) + 2 * HPA_SYNC_SECONDS + 10;
    await Promise.all(workers.map(async (so) => {
      const deployment = so.spec.scaleTargetRef.name;
      if (replicas(deployment).spec === 0) return; // a group at zero stays there: no HPA acts on it
      let active: { status: string; reason: string } | undefined;
      while (Date.now() - stopped < bound(so) * 1000) {
        active = hpaCondition(hpaName(so), 'ScalingActive');
        if (active?.status === 'False' || /FailedGetExternalMetric/.test(active?.reason ?? '')) break;
        const limited = kubectl(['get', 'hpa', hpaName(so)]).status?.conditions?.find((c: any) => /invalid metrics|FailedGetExternalMetric/.test(`${c.reason} ${c.message}`));
        if (limited) break;
        await sleep(1000);
      }
      const held = replicas(deployment).spec;
      const seen = await watchReplicas(deployment, HOLD_SECONDS);
      expect(Math.min(...seen), `${deployment} scaled down while its queue metric failed`).toBe(held);
    }));
    // Two scrapes of KEDA (its PodMonitor's interval) after a poll that fails, for rate() to rise.
    const kedaMonitor = objects.find((o) => o.kind === 'PodMonitor' && o.metadata.name === 'keda-operator')!;
    const scrape = Number(String(kedaMonitor.spec.podMetricsEndpoints[0].interval ?? `${SCRAPE_SECONDS}s`).replace(/s$/, ''));
    const deadline = stopped + (3 * scrape + 2 * Math.max(...workers.map((so) => so.spec.pollingInterval ?? 30))) * 1000;
    let firing: string[] = [];
    while (Date.now() < deadline) {
      firing = await query();
      if (workers.every((so) => firing.includes(so.metadata.name))) break;
      await sleep(3000);
    }
    expect(firing.sort(), `KedaScalerErrors: ${rule.expr}`).toEqual(workers.map((so) => so.metadata.name).sort());
  });
});

/** A Kubernetes quantity's value ("700m" = 0.7, "1k" = 1000, "512Mi" = 536870912). */
function quantity(q: string): number {
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(q);
  const factors: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  if (!match || !(match[2]! in factors)) throw new Error(`not a quantity: ${q}`);
  return Number((Number(match[1]) * factors[match[2]!]!).toPrecision(12)); // 700m = 0.7, not 0.7000000000000001
}

function milli(q: string | undefined): number {
  if (!q) return 0;
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

function writeUsage(usage: Record<string, number>): void {
  execFileSync('sh', ['-c', `cat > '${CPU_USAGE_FILE}'`], { input: JSON.stringify(usage) });
}
