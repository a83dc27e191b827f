/**
 * Behaviour of the workload charts added for issue 3, asserted on their rendered objects for
 * each environment (and on config variants where a branch depends on the config).
 */
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { deepMerge, memoryMiB, type DeepPartial, type EnvironmentConfig } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { laravelEnvironment } from '../../charts/app-config-chart.js';
import { DatabaseEndpointsChart } from '../../charts/database-endpoints-chart.js';
import { GatewayRoutesChart } from '../../charts/gateway-routes-chart.js';
import { GATEWAY_REF, RETAINED_BLOCK_STORAGE } from '../../charts/lib/names.js';
import { SECRETS } from '../../charts/lib/secrets.js';
import { soketiAppLimits } from '../../charts/lib/soketi-limits.js';
import { MeilisearchChart } from '../../charts/meilisearch-chart.js';
import { migrationJobName, MigrationsChart } from '../../charts/migrations-chart.js';
import type { K8sObject } from '../../policies/manifest.js';
import { RedisChart } from '../../charts/redis-chart.js';
import { SoketiChart } from '../../charts/soketi-chart.js';
import { WebChart } from '../../charts/web-chart.js';
import { fastcgiTimeoutSeconds, renderNginxConf } from '../../charts/web/configs.js';

const environments = await loadEnvironments();
const production = environments.find((e) => e.name === 'production')!.config;
const variant = (patch: DeepPartial<EnvironmentConfig>) => deepMerge<EnvironmentConfig>(production, patch);

type ChartClass = new (scope: App, id: string, props: { config: EnvironmentConfig }) => { toJson(): unknown[] };
function render(Chart: ChartClass, config: EnvironmentConfig): K8sObject[] {
  return new Chart(new App(), 'test', { config }).toJson() as K8sObject[];
}
function get(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!o) throw new Error(`no ${kind}${name ? `/${name}` : ''}`);
  return o;
}
const envOf = (container: any): Record<string, any> =>
  Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('migrations Job', () => {
  it('is named after the CLI image tag, sanitized to a Kubernetes name', () => {
    expect(migrationJobName('ghcr.io/fmtod/marketplace-cli:2026.11.3')).toBe('migrate-2026-11-3');
    expect(migrationJobName('registry.example.com:5000/team/cli:V1_2-RC.1')).toBe('migrate-v1-2-rc-1');
    expect(migrationJobName(`cli:2026.12.0@sha256:${'b'.repeat(64)}`)).toBe('migrate-2026-12-0');
    expect(migrationJobName(`ghcr.io/x/cli@sha256:abcdef0123456789${'0'.repeat(48)}`)).toBe('migrate-abcdef012345');
    const long = migrationJobName(`cli:${'a'.repeat(50)}.${'b'.repeat(20)}`);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    expect(() => migrationJobName('ghcr.io/x/cli')).toThrow('images.cli: "ghcr.io/x/cli" has neither a tag nor a digest');
  });

  it('runs migrate --force once per release: a new tag is a new Job, the same tag the same Job', () => {
    const job = (config: EnvironmentConfig) => get(render(MigrationsChart, config), 'Job');
    const current = job(production);
    expect(current.metadata.name).toBe(migrationJobName(production.images.cli));
    expect(current.spec.template.spec.containers[0].command).toEqual(['php', 'artisan', 'migrate', '--force', '--no-interaction']);
    expect(current.spec.template.spec.restartPolicy).toBe('Never');
    // Flux re-creates a Job deleted by a TTL: none is set, the next release prunes it instead.
    expect(current.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(current.metadata.annotations?.['kustomize.toolkit.fluxcd.io/force']).toBe('Enabled');
    expect(job(variant({ web: { targetCpuPercent: 70 } })).metadata.name).toBe(current.metadata.name);
    expect(job(variant({ images: { cli: 'ghcr.io/fmtod/marketplace-cli:2026.12.0' } })).metadata.name).toBe('migrate-2026-12-0');
  });
});

// Soketi's own settings, on each environment rendered with Soketi; what an environment on
// Sockudo gets instead is checked against this rendering in sockudo-translation.test.ts.
describe.each(environments)('Soketi in $name', ({ config }) => {
  const objects = render(SoketiChart, { ...config, realtime: { server: 'soketi' } });
  const deployment = get(objects, 'Deployment', 'soketi');
  const pod = deployment.spec.template.spec;
  const soketi = pod.containers[0];
  const env = envOf(soketi);

  it('fans out and rate-limits through Redis, on the volatile instance', () => {
    expect(env.SOKETI_ADAPTER_DRIVER).toBe('redis');
    expect(env.SOKETI_RATE_LIMITER_DRIVER).toBe('redis');
    expect(env.SOKETI_DB_REDIS_HOST).toBe(config.redis.merged ? 'redis-queue' : 'redis-cache');
    expect(env.SOKETI_DB_REDIS_PASSWORD).toEqual({ secretKeyRef: { name: SECRETS.redis.name, key: 'REDIS_PASSWORD' } });
  });

  it('sets the per-app limits computed from config.capacity', () => {
    const limits = soketiAppLimits(config);
    const perUserPerSecond = config.capacity.eventsPerUserPerMinute / 60;
    expect(Number(env.SOKETI_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC)).toBe(limits.maxBackendEventsPerSecond);
    expect(limits.maxBackendEventsPerSecond).toBeGreaterThanOrEqual(config.capacity.peakConcurrentUsers * perUserPerSecond);
    expect(Number(env.SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC)).toBe(limits.maxClientEventsPerSecond);
    expect(limits.maxClientEventsPerSecond).toBeGreaterThanOrEqual(perUserPerSecond);
    expect(Number(env.SOKETI_DEFAULT_APP_MAX_CONNS)).toBe(limits.maxConnections);
    expect(env.SOKETI_DEFAULT_APP_ID).toBe(laravelEnvironment(config).PUSHER_APP_ID);
    expect(env.SOKETI_DEFAULT_APP_KEY).toEqual({ secretKeyRef: { name: SECRETS.soketi.name, key: 'PUSHER_APP_KEY' } });
  });

  it('exposes metrics on 9601 named metrics and websockets on 6001 through its Service', () => {
    expect(env.SOKETI_METRICS_ENABLED).toBe('1');
    expect(soketi.ports).toContainEqual({ name: 'metrics', containerPort: 9601, protocol: 'TCP' });
    expect(get(objects, 'Service', 'soketi').spec.ports.map((p: any) => [p.name, p.port])).toEqual([['websocket', 6001], ['metrics', 9601]]);
  });

  it('drains gracefully: readiness on /accept-traffic, grace period (ms) inside the pod grace period', () => {
    expect(soketi.readinessProbe.httpGet.path).toBe('/accept-traffic');
    expect(env.SOKETI_SHUTDOWN_GRACE_PERIOD).toBe(String(config.soketi.shutdownGraceSeconds * 1000));
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(config.soketi.shutdownGraceSeconds);
  });
});

describe.each(environments)('Redis in $name', ({ config }) => {
  const objects = render(RedisChart, config);
  const confOf = (name: string) => (get(objects, 'ConfigMap', `${name}-config`) as any).data['redis.conf'] as string;

  it('runs a separate cache instance unless merged', () => {
    expect(objects.filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name)).toEqual(['redis-queue']);
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(config.redis.merged ? [] : ['redis-cache']);
    expect(laravelEnvironment(config).REDIS_CACHE_HOST).toBe(config.redis.merged ? 'redis-queue' : 'redis-cache');
  });

  it('configures the queue instance durable and the cache volatile, maxmemory from the config', () => {
    const queue = confOf('redis-queue');
    expect(queue).toContain('maxmemory-policy noeviction\n');
    expect(queue).toContain('appendonly yes\n');
    expect(queue).toContain(`maxmemory ${config.redis.queue.maxmemoryMiB}mb\n`);
    if (!config.redis.merged) {
      const cache = confOf('redis-cache');
      expect(cache).toContain('maxmemory-policy allkeys-lru\n');
      expect(cache).toContain('appendonly no\n');
      expect(cache).toContain(`maxmemory ${config.redis.cache.maxmemoryMiB}mb\n`);
    }
    expect(config.redis.queue.maxmemoryMiB).toBeLessThan(memoryMiB(config.redis.queue.resources.limits.memory));
  });

  it('keeps the queue data on a retained block-storage volume', () => {
    const sts = get(objects, 'StatefulSet', 'redis-queue');
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe(RETAINED_BLOCK_STORAGE);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  it('reads the password from the Secret, never from the ConfigMap or a command line', () => {
    for (const name of config.redis.merged ? ['redis-queue'] : ['redis-queue', 'redis-cache']) {
      expect(confOf(name)).toContain('include /run/redis-auth/auth.conf');
      expect(confOf(name)).not.toMatch(/requirepass/);
    }
    for (const o of objects.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
      const spec = o.spec.template.spec;
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        for (const e of c.env ?? []) if (/PASSWORD|AUTH/.test(e.name)) expect(e.valueFrom?.secretKeyRef?.name).toBe(SECRETS.redis.name);
        // The init container's shell expands $REDIS_PASSWORD inside printf (a builtin): no argv.
        expect(JSON.stringify([c.command, c.args])).not.toMatch(/--requirepass|--pass\b|-a /);
      }
      const exporter = spec.containers.find((c: any) => c.name === 'redis-exporter');
      expect(exporter.ports).toEqual([{ name: 'metrics', containerPort: 9121, protocol: 'TCP' }]);
    }
  });
});

describe.each(environments)('Meilisearch in $name', ({ config }) => {
  const objects = render(MeilisearchChart, config);
  const sts = get(objects, 'StatefulSet', 'meilisearch');
  const c = sts.spec.template.spec.containers[0];
  const env = envOf(c);

  it('is one pod on a retained block-storage volume sized from the config', () => {
    expect(sts.spec.replicas).toBe(1);
    const claim = sts.spec.volumeClaimTemplates[0];
    expect(claim.spec.storageClassName).toBe(RETAINED_BLOCK_STORAGE);
    expect(claim.spec.resources.requests.storage).toBe(`${config.meilisearch.storageGiB}Gi`);
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget' || o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  it('takes the master key from its Secret and snapshots on the configured schedule', () => {
    expect(env.MEILI_MASTER_KEY).toEqual({ secretKeyRef: { name: SECRETS.meilisearch.name, key: 'MEILI_MASTER_KEY' } });
    expect(c.args).toContain(`--schedule-snapshot=${config.meilisearch.snapshotIntervalSeconds}`);
    expect(env.MEILI_EXPERIMENTAL_ENABLE_METRICS).toBe('true');
    expect(c.ports).toEqual([{ name: 'http', containerPort: 7700, protocol: 'TCP' }]);
  });

  it('budgets indexing memory inside the container limit, not the node RAM', () => {
    const limitBytes = memoryMiB(config.meilisearch.resources.limits.memory) * 1024 * 1024;
    expect(Number(env.MEILI_MAX_INDEXING_MEMORY)).toBeGreaterThan(0);
    expect(Number(env.MEILI_MAX_INDEXING_MEMORY)).toBeLessThan(limitBytes);
    expect(c.startupProbe.httpGet.path).toBe('/health');
  });
});

describe('database endpoints', () => {
  it('point the write and read Services at the VMs of the config', () => {
    const objects = render(DatabaseEndpointsChart, production);
    for (const o of objects.filter((x) => x.kind === 'Service')) expect(o.spec.selector).toBeUndefined();
    const slice = (svc: string): any => objects.find((o) => o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'] === svc)!;
    expect(slice('mariadb-primary').endpoints.map((e: any) => e.addresses[0])).toEqual([production.database.primary.privateIp]);
    expect(slice('mariadb-replicas').endpoints.map((e: any) => e.addresses[0])).toEqual(production.database.replicas.map((r) => r.privateIp));
    expect(slice('mariadb-primary').ports).toEqual([{ name: 'mysql', port: 3306, protocol: 'TCP' }]);
    expect(slice('mariadb-primary').addressType).toBe('IPv4');
  });

  it('without replicas, renders no read Service and the app reads from the primary', () => {
    const config = variant({});
    const noReplicas = { ...config, database: { ...config.database, replicas: [] } };
    const objects = render(DatabaseEndpointsChart, noReplicas);
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual(['mariadb-primary']);
    expect(laravelEnvironment(noReplicas).DB_READ_HOST).toBe('mariadb-primary');
  });
});

describe.each(environments)('HTTPRoutes in $name', ({ config }) => {
  const objects = render(GatewayRoutesChart, config);
  const route = (name: string) => get(objects, 'HTTPRoute', name);

  it('route each domain to its Service through the shared Gateway', () => {
    expect(route('web').spec.hostnames).toEqual([config.domains.app]);
    expect(route('web').spec.rules[0].backendRefs).toEqual([{ kind: 'Service', name: 'web', port: 80 }]);
    expect(route('websockets').spec.hostnames).toEqual([config.domains.websockets]);
    expect(route('websockets').spec.rules[0].backendRefs).toEqual([{ kind: 'Service', name: 'soketi', port: 6001 }]);
    for (const r of objects.filter((o) => o.kind === 'HTTPRoute')) {
      expect(r.apiVersion).toBe('gateway.networking.k8s.io/v1');
      expect(r.spec.parentRefs[0]).toMatchObject({ kind: 'Gateway', name: GATEWAY_REF.name, namespace: GATEWAY_REF.namespace });
    }
  });

  it('let web requests outlive nginx FastCGI timeout, and never time out a websocket', () => {
    const webTimeout = Number(route('web').spec.rules[0].timeouts.request.replace(/s$/, ''));
    expect(webTimeout).toBeGreaterThan(fastcgiTimeoutSeconds(config));
    expect(route('websockets').spec.rules[0].timeouts.request).toBe('0s');
  });

  it("make Envoy close idle connections to nginx before nginx's keepalive_timeout (no 503 race)", () => {
    const policies = objects.filter((o) => o.kind === 'BackendTrafficPolicy');
    const forWeb = policies.filter((p) => p.spec.targetRefs.some((t: any) => t.kind === 'HTTPRoute' && t.name === route('web').metadata.name));
    expect(forWeb).toHaveLength(1);
    const idle = forWeb[0]!.spec.timeout.http.connectionIdleTimeout as string;
    expect(idle).toMatch(/^\d+s$/);
    const keepalive = renderNginxConf(config).match(/^\s*keepalive_timeout (\d+)s;$/m);
    expect(keepalive).not.toBeNull();
    expect(Number(idle.slice(0, -1))).toBeLessThan(Number(keepalive![1]));
  });
});

describe.each(environments)('web pod in $name', ({ config }) => {
  const pod = get(render(WebChart, config), 'Deployment', 'web').spec.template.spec;
  const container = (name: string) => pod.containers.find((c: any) => c.name === name);

  it('runs the two exporters on the ports the monitoring layer scrapes', () => {
    expect(container('php-fpm-exporter').image).toBe(config.images.phpFpmExporter);
    expect(container('php-fpm-exporter').ports).toEqual([{ name: 'fpm-metrics', containerPort: 9253, protocol: 'TCP' }]);
    expect(container('nginx-exporter').image).toBe(config.images.nginxExporter);
    expect(container('nginx-exporter').ports).toEqual([{ name: 'nginx-metrics', containerPort: 9113, protocol: 'TCP' }]);
  });
});
