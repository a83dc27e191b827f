/** The autoscaling chart: one ScaledObject per workload with the right triggers, and VPAs. */
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { deepMerge, type EnvironmentConfig } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { AutoscalingChart, WEB_FPM_SATURATION_TARGET } from '../../charts/autoscaling-chart.js';
import { appCharts } from '../../charts/index.js';
import { redisExporterCheckSingleKeys } from '../../charts/lib/queue-keys.js';

const environments = await loadEnvironments();
const production = environments.find((e) => e.name === 'production')!.config;

interface Obj { kind: string; metadata: { name: string }; spec: any }
function objects(config: EnvironmentConfig): Obj[] {
  return new AutoscalingChart(new App(), 'autoscaling', { config }).toJson() as Obj[];
}
const scaledObject = (objs: Obj[], name: string) => objs.find((o) => o.kind === 'ScaledObject' && o.metadata.name === name)!;

describe('web', () => {
  const web = scaledObject(objects(production), 'web');
  it('scales between the configured bounds on CPU and php-fpm saturation', () => {
    expect(web.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect([web.spec.minReplicaCount, web.spec.maxReplicaCount]).toEqual([production.web.replicas.min, production.web.replicas.max]);
    expect(web.spec.triggers.map((t: any) => t.type)).toEqual(['cpu', 'prometheus']);
    expect(web.spec.triggers[0]).toEqual({ type: 'cpu', metricType: 'Utilization', metadata: { value: String(production.web.targetCpuPercent) } });
    const fpm = web.spec.triggers[1];
    expect(fpm.metricType).toBe('Value');
    expect(fpm.metadata.threshold).toBe(String(WEB_FPM_SATURATION_TARGET));
    expect(fpm.metadata.query).toBe(
      'sum(phpfpm_active_processes{namespace="marketplace",pod=~"web-.*",pool="www"}) / ' +
        'clamp_min(sum(phpfpm_total_processes{namespace="marketplace",pod=~"web-.*",pool="www"}), 1)',
    );
  });
  it('scales up at once and down slowly', () => {
    const behavior = web.spec.advanced.horizontalPodAutoscalerConfig.behavior;
    expect(behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
    expect(behavior.scaleDown.policies).toEqual([{ type: 'Pods', value: 1, periodSeconds: 60 }]);
  });
});

describe('workers', () => {
  const objs = objects(production);
  it('get one ScaledObject per group with a Redis list trigger per queue on the exact Laravel key, plus CPU', () => {
    for (const group of production.workers) {
      const so = scaledObject(objs, `worker-${group.name}`);
      const redis = so.spec.triggers.filter((t: any) => t.type === 'redis');
      expect(redis.map((t: any) => t.metadata.listName)).toEqual(group.queues.map((q) => `marketplace-database-queues:${q}`));
      for (const t of redis) {
        expect(t.metadata).toMatchObject({
          address: 'redis-queue.marketplace.svc.cluster.local:6379',
          listLength: String(group.jobsPerReplica),
          activationListLength: '0',
        });
        expect(t.authenticationRef).toEqual({ name: 'redis-queue-auth' });
      }
      expect(so.spec.triggers.at(-1).type).toBe('cpu');
      expect(so.spec.minReplicaCount).toBe(group.replicas.min);
      expect(so.spec.cooldownPeriod).toBe(300);
    }
  });
  it('derive the list name from the configured prefix (old Laravel default included)', () => {
    const old = deepMerge<EnvironmentConfig>(structuredClone(production), { laravel: { redisPrefix: 'marketplace_database_' } });
    const so = scaledObject(objects(old), 'worker-default');
    expect(so.spec.triggers[0].metadata.listName).toBe('marketplace_database_queues:default');
    expect(redisExporterCheckSingleKeys(old)).toContain('db0=marketplace_database_queues:default:delayed');
  });
  it('scale to zero only where the group opts in', () => {
    const config = structuredClone(production);
    config.workers = config.workers.map((g) => (g.name === 'sync' ? { ...g, scaleToZero: true, replicas: { min: 0, max: 12 } } : g));
    const objs2 = objects(config);
    expect(scaledObject(objs2, 'worker-sync').spec.minReplicaCount).toBe(0);
    expect(scaledObject(objs2, 'worker-high').spec.minReplicaCount).toBe(2);
  });
  it('read the Redis password through a TriggerAuthentication from the declared Secret', () => {
    const auth = objs.find((o) => o.kind === 'TriggerAuthentication')!;
    expect(auth.spec.secretTargetRef).toEqual([{ parameter: 'password', name: 'redis-auth', key: 'REDIS_PASSWORD' }]);
  });
});

describe('soketi', () => {
  it('scales on connections per pod (target connectionsPerPod) and CPU, and scales down slowly', () => {
    const so = scaledObject(objects(production), 'soketi');
    expect(so.spec.triggers[0]).toMatchObject({
      type: 'prometheus',
      metricType: 'AverageValue',
      metadata: { query: 'sum(soketi_connected{namespace="marketplace",pod=~"soketi-.*"})', threshold: String(production.soketi.connectionsPerPod) },
    });
    expect(so.spec.triggers[2].type).toBe('cpu');
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(600);
  });

  it('also scales on events per second per pod (target eventsPerSecondPerPod): whichever of connections and events saturates first', () => {
    const so = scaledObject(objects(production), 'soketi');
    expect(so.spec.triggers[1]).toMatchObject({
      type: 'prometheus',
      name: 'events',
      metricType: 'AverageValue',
      metadata: {
        query: 'sum(rate(soketi_ws_messages_sent_total{namespace="marketplace",pod=~"soketi-.*"}[1m]))',
        threshold: String(production.soketi.eventsPerSecondPerPod),
      },
    });
    // Busy users: the events trigger asks for more pods than the connections trigger would.
    const busy = deepMerge<EnvironmentConfig>(structuredClone(production), { soketi: { eventsPerSecondPerPod: 100 } });
    expect(scaledObject(objects(busy), 'soketi').spec.triggers[1].metadata.threshold).toBe('100');
  });
});

describe('every workload', () => {
  it('has exactly one ScaledObject at most, and a recommendation-only VPA', () => {
    const objs = objects(production);
    const targets = objs.filter((o) => o.kind === 'ScaledObject').map((o) => o.spec.scaleTargetRef.name);
    expect(new Set(targets).size).toBe(targets.length);
    expect(targets).not.toContain('scheduler');
    const vpas = objs.filter((o) => o.kind === 'VerticalPodAutoscaler');
    expect(vpas.every((v) => v.spec.updatePolicy.updateMode === 'Off')).toBe(true);
    expect(vpas.map((v) => `${v.spec.targetRef.kind}/${v.spec.targetRef.name}`).sort()).toEqual([
      'Deployment/redis-cache', 'Deployment/scheduler', 'Deployment/soketi', 'Deployment/web', 'Deployment/worker-default',
      'Deployment/worker-high', 'Deployment/worker-sync', 'StatefulSet/meilisearch', 'StatefulSet/redis-queue',
    ]);
  });

  it('points every ScaledObject and VPA at an object the other charts render', () => {
    for (const env of environments) {
      const all = appCharts(new App(), env.config).flatMap((c) => c.toJson() as Obj[]);
      const exists = new Set(all.map((o) => `${o.kind}/${o.metadata.name}`));
      for (const o of all.filter((x) => x.kind === 'ScaledObject')) expect(exists).toContain(`${o.spec.scaleTargetRef.kind}/${o.spec.scaleTargetRef.name}`);
      for (const o of all.filter((x) => x.kind === 'VerticalPodAutoscaler')) expect(exists).toContain(`${o.spec.targetRef.kind}/${o.spec.targetRef.name}`);
    }
  });

  it('leaves spec.replicas out of autoscaled Deployments (Flux must not reset the HPA) and keeps it elsewhere', () => {
    const all = appCharts(new App(), production).flatMap((c) => c.toJson() as Obj[]);
    const scaled = new Set(all.filter((o) => o.kind === 'ScaledObject').map((o) => o.spec.scaleTargetRef.name));
    for (const d of all.filter((o) => o.kind === 'Deployment')) {
      if (scaled.has(d.metadata.name)) expect(d.spec.replicas, d.metadata.name).toBeUndefined();
      else expect(d.spec.replicas, d.metadata.name).toBe(1);
    }
  });
});
