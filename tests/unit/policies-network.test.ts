/**
 * The NetworkPolicies allow exactly the flows the app needs: each required flow is allowed and
 * each flow the design forbids is denied, evaluated over the rendered objects of every
 * environment (policies/network-flows.ts implements the Kubernetes semantics).
 */
import { describe, expect, it } from 'vitest';
import { PEER_NAMESPACES, PORTS } from '../../charts/lib/names.js';
import type { K8sObject } from '../../policies/manifest.js';
import { allowsFlow, type Endpoint, type Flow } from '../../policies/network-flows.js';
import { WEB_PORTS } from '../../charts/web/configs.js';
import { renderedChoices } from './support/rendered-objects.js';

const environments = await renderedChoices();

/** The pod identity of a rendered workload (namespace + pod template labels). */
function pod(objects: readonly K8sObject[], kind: string, name: string): Endpoint {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return { namespace: o.metadata.namespace!, labels: o.spec.template.metadata.labels };
}
const outside = (namespace: string): Endpoint => ({ namespace, labels: { 'app.kubernetes.io/name': 'anything' } });

describe.each(environments)('environment $name', ({ objects, config }) => {
  const migrationJob = objects.find((o) => o.kind === 'Job')!;
  const p = {
    web: pod(objects, 'Deployment', 'web'),
    soketi: pod(objects, 'Deployment', 'soketi'),
    scheduler: pod(objects, 'Deployment', 'scheduler'),
    worker: pod(objects, 'Deployment', `worker-${config.workers[0]!.name}`),
    migrations: pod(objects, 'Job', migrationJob.metadata.name),
    meilisearch: pod(objects, 'StatefulSet', 'meilisearch'),
    redisQueue: pod(objects, 'StatefulSet', 'redis-queue'),
    redisCache: config.redis.merged ? undefined : pod(objects, 'Deployment', 'redis-cache'),
    gateway: outside(PEER_NAMESPACES.gateway),
    monitoring: outside(PEER_NAMESPACES.monitoring),
    keda: outside(PEER_NAMESPACES.keda),
    dns: outside(PEER_NAMESPACES.dns),
    stranger: outside('some-other-namespace'),
  };
  const laravelPods = [p.web, p.worker, p.scheduler, p.migrations];
  const redisPods = [p.redisQueue, ...(p.redisCache ? [p.redisCache] : [])];
  const cacheRedis = p.redisCache ?? p.redisQueue;
  const db = { ip: config.database.primary.privateIp };
  const internet = { ip: '93.184.216.34' };
  const flow = (from: Endpoint, to: Endpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): Flow => ({ from, to, port, protocol });

  const allowed: Array<[string, Flow]> = [
    ['gateway -> web http', flow(p.gateway, p.web, WEB_PORTS.http)],
    ['gateway -> soketi websockets', flow(p.gateway, p.soketi, PORTS.soketi)],
    ['monitoring -> web fpm exporter', flow(p.monitoring, p.web, WEB_PORTS.fpmExporter)],
    ['monitoring -> web nginx exporter', flow(p.monitoring, p.web, WEB_PORTS.nginxExporter)],
    ['monitoring -> soketi metrics', flow(p.monitoring, p.soketi, PORTS.soketiMetrics)],
    ['monitoring -> meilisearch metrics', flow(p.monitoring, p.meilisearch, PORTS.meilisearch)],
    ...redisPods.map((r): [string, Flow] => ['monitoring -> redis exporter', flow(p.monitoring, r, PORTS.redisExporter)]),
    ['keda -> redis-queue', flow(p.keda, p.redisQueue, PORTS.redis)],
    ...laravelPods.flatMap((from): Array<[string, Flow]> => [
      ...redisPods.map((r): [string, Flow] => ['laravel -> redis', flow(from, r, PORTS.redis)]),
      ['laravel -> meilisearch', flow(from, p.meilisearch, PORTS.meilisearch)],
      ['laravel -> soketi API', flow(from, p.soketi, PORTS.soketi)],
      ['laravel -> database primary', flow(from, db, PORTS.mysql)],
      ...config.database.replicas.map((r): [string, Flow] => ['laravel -> database replica', flow(from, { ip: r.privateIp }, PORTS.mysql)]),
    ]),
    ['soketi -> cache redis', flow(p.soketi, cacheRedis, PORTS.redis)],
    ...[p.web, p.worker, p.scheduler].map((from): [string, Flow] => ['marketplace APIs over https', flow(from, internet, PORTS.https)]),
    ...Object.entries(p).filter(([, e]) => e && 'labels' in e && e.namespace === config.namespace).flatMap(([name, e]): Array<[string, Flow]> => [
      [`${name} -> DNS udp`, flow(e!, p.dns, PORTS.dns, 'UDP')],
      [`${name} -> DNS tcp`, flow(e!, p.dns, PORTS.dns, 'TCP')],
    ]),
  ];

  const denied: Array<[string, Flow]> = [
    ['gateway -> web status port', flow(p.gateway, p.web, WEB_PORTS.nginxStatus)],
    ['gateway -> redis', flow(p.gateway, p.redisQueue, PORTS.redis)],
    ['gateway -> meilisearch', flow(p.gateway, p.meilisearch, PORTS.meilisearch)],
    ['another namespace -> web', flow(p.stranger, p.web, WEB_PORTS.http)],
    ['another namespace -> redis', flow(p.stranger, p.redisQueue, PORTS.redis)],
    ['monitoring -> redis itself', flow(p.monitoring, p.redisQueue, PORTS.redis)],
    ['keda -> meilisearch', flow(p.keda, p.meilisearch, PORTS.meilisearch)],
    ['soketi -> database', flow(p.soketi, db, PORTS.mysql)],
    ['soketi -> meilisearch', flow(p.soketi, p.meilisearch, PORTS.meilisearch)],
    ['soketi -> internet', flow(p.soketi, internet, PORTS.https)],
    ['migrations -> internet', flow(p.migrations, internet, PORTS.https)],
    ['web -> internet on plain http', flow(p.web, internet, 80)],
    ['web -> database on ssh', flow(p.web, db, 22)],
    ['web -> a private address on 443 (not the internet rule)', flow(p.web, { ip: '10.128.0.1' }, PORTS.https)],
    ['web -> cloud metadata', flow(p.web, { ip: '169.254.169.254' }, 80)],
    ['worker -> web pod directly', flow(p.worker, p.web, WEB_PORTS.http)],
    ['redis -> internet', flow(p.redisQueue, internet, PORTS.https)],
    ['meilisearch -> internet', flow(p.meilisearch, internet, PORTS.https)],
    ['redis -> database', flow(p.redisQueue, db, PORTS.mysql)],
    ...(p.redisCache ? [['keda -> redis-cache', flow(p.keda, p.redisCache, PORTS.redis)] as [string, Flow]] : []),
  ];

  it.each(allowed)('allows %s', (_name, f) => {
    expect(allowsFlow(objects, f)).toBe(true);
  });
  it.each(denied)('denies %s', (_name, f) => {
    expect(allowsFlow(objects, f)).toBe(false);
  });

  it('without the NetworkPolicies every denied flow would pass (the evaluator is not vacuous)', () => {
    const withoutPolicies = objects.filter((o) => o.kind !== 'NetworkPolicy');
    for (const [, f] of denied) expect(allowsFlow(withoutPolicies, f)).toBe(true);
  });

  it('without the default deny, a flow nobody allowed would pass', () => {
    const withoutDeny = objects.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny-all'));
    // Workers serve nothing, so no allow policy selects them for ingress: only the default deny
    // keeps other namespaces out.
    const intoWorker = flow(p.stranger, p.worker, 8080);
    expect(allowsFlow(objects, intoWorker)).toBe(false);
    expect(allowsFlow(withoutDeny, intoWorker)).toBe(true);
  });
});
