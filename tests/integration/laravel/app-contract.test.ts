/**
 * The seam between the manifests and the app: each Laravel container's env, resolved from the
 * synthesized objects of every environment (ConfigMap and Secret references resolved, test
 * values for secrets), given to the real Laravel 12 skeleton with docs/app-contract.md's config
 * lines applied, init containers (`artisan optimize`, which caches the config) run first as in
 * the pod. What Laravel resolves is checked against the generated objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROOT, POD_ROLE_LABELS } from '../../../charts/lib/names.js';
import { parseQueueWork } from '../../../charts/lib/worker-queue.js';
import { matchesLabels, type K8sObject } from '../../../policies/manifest.js';
import { containerEnv, laravelPods, runsLaravel } from '../../unit/support/container-env.js';
import { renderedEnvironments } from '../../unit/support/rendered-objects.js';
import { readContract } from './contract.js';
import { mapPaths, podPaths, prepareApp, resolvedConfig, runInApp, type PreparedApp } from './laravel-app.js';

const environments = await renderedEnvironments();
const contract = readContract();
// A real-looking key: `artisan optimize` and boot never decrypt, but keep the format valid.
const secretValue = (secret: string, key: string) =>
  key === 'APP_KEY' ? `base64:${Buffer.alloc(32, 7).toString('base64')}` : `test-${secret}-${key}`;

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered JSON */

/** The Service of the volatile Redis: the instance whose redis.conf evicts (allkeys-lru), or the only one. */
function cacheRedisServiceOf(objects: readonly K8sObject[]): string {
  const instances = objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
    .flatMap((o) => {
      const spec = o.spec.template.spec;
      const redis = spec.containers.find((c: any) => c.command?.[0] === 'redis-server');
      if (!redis) return [];
      const cmName = spec.volumes.find((v: any) => v.configMap)?.configMap.name;
      const conf: string = (objects.find((x) => x.kind === 'ConfigMap' && x.metadata.name === cmName) as any).data['redis.conf'];
      const policy = /^maxmemory-policy\s+(\S+)/m.exec(conf)?.[1];
      const services = objects.filter(
        (s) => s.kind === 'Service' && s.spec?.clusterIP !== 'None' && s.spec?.selector && matchesLabels(s.spec.selector, o.spec.template.metadata.labels),
      );
      return services.map((s) => ({ service: s.metadata.name, policy }));
    });
  const evicting = instances.filter((i) => i.policy === 'allkeys-lru');
  if (evicting.length === 1) return evicting[0]!.service;
  if (instances.length === 1) return instances[0]!.service;
  throw new Error(`cannot tell the cache Redis among ${JSON.stringify(instances)}`);
}

/** Does the value Laravel resolved carry the env value (booleans, numbers, host lists)? */
function carries(resolved: unknown, value: string): boolean {
  if (Array.isArray(resolved)) return resolved.some((r) => carries(r, value));
  if (typeof resolved === 'boolean') return String(resolved) === value.toLowerCase();
  if (typeof resolved === 'number') return resolved === Number(value);
  return resolved === value;
}

interface LaravelContainerRun {
  readonly pod: string;
  readonly container: any;
  readonly env: Record<string, string>;
}

/** Runs every Laravel container of every Laravel pod on `app`: init containers, then config. */
function runPods(app: PreparedApp, objects: readonly K8sObject[], images: any, keys: (run: LaravelContainerRun) => string[]) {
  const results: { run: LaravelContainerRun; config: Record<string, unknown> }[] = [];
  for (const { owner, spec } of laravelPods(objects, POD_ROLE_LABELS.laravel)) {
    const pod = `${owner.kind}/${owner.metadata.name}`;
    const laravel = (cs: any[] = []) => cs.filter((c) => runsLaravel(c, images));
    const mounts = [...laravel(spec.initContainers), ...laravel(spec.containers)].flatMap((c: any) => (c.volumeMounts ?? []).map((m: any) => m.mountPath));
    const paths = podPaths(app, APP_ROOT, [...new Set<string>(mounts)]);
    try {
      const envOf = (c: any) => mapPaths(containerEnv(objects, c, `${pod} ${c.name}`, secretValue), paths.paths);
      for (const init of laravel(spec.initContainers)) runInApp(app, init.command, envOf(init));
      for (const c of laravel(spec.containers)) {
        const run = { pod, container: c, env: envOf(c) };
        results.push({ run, config: resolvedConfig(app, run.env, keys(run)) });
      }
    } finally {
      paths.remove();
    }
  }
  return results;
}

const configKeys = contract.variables.flatMap((v) => (v.configKey ? [v.configKey] : []));
const cacheKeys = ['cache.default', 'cache.stores', 'database.redis'];
const workerKeys = (run: LaravelContainerRun) => {
  const work = parseQueueWork(run.container.command ?? []);
  return work ? [`queue.connections.${work.connection}.retry_after`] : [];
};

let withContract: PreparedApp;
let skeleton: PreparedApp;
beforeAll(() => {
  withContract = prepareApp(contract.lines);
  skeleton = prepareApp();
});
afterAll(() => {
  withContract?.remove();
  skeleton?.remove();
});

/** The host of the Redis connection the default cache store uses, as Laravel resolved it. */
function cacheHost(config: Record<string, any>): unknown {
  const store = config['cache.stores'][config['cache.default']];
  if (store?.driver !== 'redis') return `cache store ${config['cache.default']} is not redis`;
  return config['database.redis'][store.connection]?.host;
}

describe.each(environments)('environment $name', ({ name, objects, config }) => {
  const cacheService = cacheRedisServiceOf(objects);
  let runs: ReturnType<typeof runPods>;
  beforeAll(() => {
    runs = runPods(withContract, objects, config.images, (run) => [...configKeys, ...cacheKeys, ...workerKeys(run)]);
  });

  it('boots every Laravel container from its cached config (the init container ran first)', () => {
    expect(runs.length).toBeGreaterThanOrEqual(config.workers.length + 3);
    for (const { run, config: c } of runs) {
      const optimized = run.pod !== `Job/${objects.find((o) => o.kind === 'Job')?.metadata.name}`;
      expect({ pod: run.pod, cached: c.__configurationIsCached }).toEqual({ pod: run.pod, cached: optimized });
    }
  });

  it('every variable the contract maps to a config key lands there', () => {
    const misses: string[] = [];
    for (const { run, config: c } of runs) {
      for (const v of contract.variables) {
        if (!v.configKey || !(v.name in run.env)) continue;
        if (!carries(c[v.configKey], run.env[v.name]!)) {
          misses.push(`${run.pod} ${run.container.name}: ${v.name}=${run.env[v.name]} but config('${v.configKey}') = ${JSON.stringify(c[v.configKey])}`);
        }
      }
    }
    expect(misses).toEqual([]);
  });

  it(`the cache store's Redis host is the cache Redis Service of the generated objects`, () => {
    for (const { run, config: c } of runs) {
      expect({ pod: run.pod, host: cacheHost(c) }).toEqual({ pod: run.pod, host: cacheService });
    }
  });

  it('every worker: retry_after Laravel reads is above the --timeout on its command line', () => {
    const workers = runs.filter(({ run }) => parseQueueWork(run.container.command ?? []));
    expect(workers.map(({ run }) => run.pod).sort()).toEqual(config.workers.map((w) => `Deployment/worker-${w.name}`).sort());
    const tooShort = workers.flatMap(({ run, config: c }) => {
      const work = parseQueueWork(run.container.command)!;
      const timeout = Number(work.options.get('timeout'));
      const retryAfter = c[`queue.connections.${work.connection}.retry_after`];
      return typeof retryAfter === 'number' && retryAfter > timeout ? [] : [`${run.pod}: retry_after ${retryAfter} s, --timeout ${timeout} s`];
    });
    expect(tooShort).toEqual([]);
  });

  it('the checks can fail: the unmodified skeleton config misses contract keys' + (config.redis.merged ? '' : ' and puts the cache on the queue Redis'), () => {
    const [web] = runPods(skeleton, objects.filter((o) => o.kind !== 'Job'), config.images, () => [...configKeys, ...cacheKeys]).filter(({ run }) => run.pod === 'Deployment/web');
    expect(web).toBeDefined();
    const missing = contract.variables.filter((v) => v.configKey && v.name in web!.run.env && !carries(web!.config[v.configKey], web!.run.env[v.name]!));
    expect(missing.length, `${name}: every contract line is needed by some variable`).toBeGreaterThan(0);
    if (!config.redis.merged) expect(cacheHost(web!.config)).not.toBe(cacheService);
  });
});
