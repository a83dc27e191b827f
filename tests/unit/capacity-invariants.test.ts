/**
 * Capacity invariants: every committed environment passes them, and each one, broken on
 * purpose, stops validation (or synth) with a message naming the numbers that collide.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  CAPACITY_RULES, connectionBudget, databaseConnectionsFit, eventsFitRateLimits, eventsFitSoketi, scaleToZeroIsDeliberate, websocketsFit,
} from '../../charts/rules/capacity-rules.js';
import { ConfigError, deepMerge, REPO_ROOT, type DeepPartial, type EnvironmentConfig } from '../../apps/config/index.js';
import { loadEnvironments, validateEnvironment } from '../../apps/load.js';
import { checkClusterCapacity, clusterCapacityProblems, podRequests, workloadDemands } from '../../apps/synth/cluster-capacity.js';
import { renderEnvironment } from '../../apps/synth/render.js';
import { appCharts } from '../../charts/index.js';
import { peakEventsPerSecond, soketiAppLimits } from '../../charts/lib/soketi-limits.js';
import { phpFpmMaxChildren } from '../../charts/web/php-fpm-sizing.js';

const environments = await loadEnvironments();
const production = environments.find((e) => e.name === 'production')!;

function withPatch(patch: DeepPartial<EnvironmentConfig>, base = production.config): EnvironmentConfig {
  return deepMerge<EnvironmentConfig>(structuredClone(base), patch);
}

function rendered(config: EnvironmentConfig): Map<string, unknown[]> {
  const manifests = new Map<string, unknown[]>();
  for (const chart of appCharts(new App(), config)) manifests.set(chart.fileName, chart.toJson());
  return manifests;
}

describe.each(environments.map((e) => [e.name, e] as const))('environment %s', (_name, env) => {
  it('passes every config-level capacity rule', () => {
    expect(CAPACITY_RULES.flatMap((rule) => rule(env.config))).toEqual([]);
  });
  it('fits its node pools at minimum and maximum replicas', () => {
    expect(clusterCapacityProblems(env, rendered(env.config))).toEqual([]);
  });
  it('keeps the connection budget under max_connections', () => {
    expect(connectionBudget(env.config).total).toBeLessThanOrEqual(env.config.database.maxConnections);
  });
});

describe('database connections at maximum scale', () => {
  it('sums web pods x max_children, workers, scheduler, migrations, exporter and the reserve', () => {
    const c = production.config;
    const children = phpFpmMaxChildren(c);
    const workers = c.workers.reduce((n, g) => n + g.replicas.max, 0);
    // migrations: 2 (a read and a write PDO, both on the primary, whether or not there are replicas)
    expect(connectionBudget(c).total).toBe(c.web.replicas.max * children + workers + 2 + 2 + 3 + c.database.adminConnectionReserve);
  });

  it('refuses a web maxReplicas the database cannot serve, naming the numbers', () => {
    const broken = withPatch({ web: { replicas: { max: 60 } } });
    const [problem] = databaseConnectionsFit(broken);
    expect(problem?.path).toBe('database.maxConnections');
    expect(problem?.reason).toContain(`web 60 pods (web.replicas.max) x ${phpFpmMaxChildren(broken)} pm.max_children = ${60 * phpFpmMaxChildren(broken)}`);
    expect(problem?.reason).toContain('above database.maxConnections 600');
    expect(() => validateEnvironment(broken, 'apps/environments/production.ts', 'production')).toThrow(
      /invalid environment "production" in apps\/environments\/production\.ts:\n {2}- database\.maxConnections: at maximum scale the app may open \d+ connections/,
    );
  });

  it('counts two connections per process when there is no replica', () => {
    const noReplica = withPatch({ database: { replicas: [] } });
    expect(connectionBudget(noReplica).items[0]!.connections).toBe(2 * production.config.web.replicas.max * phpFpmMaxChildren(noReplica));
  });
});

describe('websockets', () => {
  it('refuses more peak users than Soketi at max replicas holds', () => {
    const broken = withPatch({ capacity: { peakConcurrentUsers: 9000, nodeBalancers: 2 }, soketi: { replicas: { max: 4 } } });
    expect(websocketsFit(broken)).toEqual([{
      path: 'soketi.replicas.max',
      reason: `capacity.peakConcurrentUsers 9000 exceeds Soketi's capacity ${4 * production.config.soketi.connectionsPerPod} (soketi.replicas.max 4 x soketi.connectionsPerPod ${production.config.soketi.connectionsPerPod})`,
    }]);
  });

  it('refuses more peak users than the NodeBalancers carry', () => {
    const broken = withPatch({ capacity: { peakConcurrentUsers: 11000 } });
    expect(websocketsFit(broken)).toContainEqual({
      path: 'capacity.nodeBalancers',
      reason:
        "capacity.peakConcurrentUsers 11000 exceeds the NodeBalancers' 10000 connections " +
        '(capacity.nodeBalancers 1 x connectionsPerNodeBalancer 10000): add NodeBalancers',
    });
    const perPod = production.config.soketi.connectionsPerPod;
    expect(websocketsFit(withPatch({ capacity: { peakConcurrentUsers: 11000, nodeBalancers: 2 }, soketi: { replicas: { max: Math.ceil(11000 / perPod) } } }))).toEqual([]);
  });

  it('derives the Soketi limits it checks from the function the Soketi chart configures Soketi with', () => {
    const c = production.config;
    expect(peakEventsPerSecond(c)).toBe(Math.ceil((c.capacity.peakConcurrentUsers * c.capacity.eventsPerUserPerMinute) / 60));
    const soketi = (appCharts(new App(), c).flatMap((ch) => ch.toJson()) as any[]).find((o) => o.kind === 'Deployment' && o.metadata.name === 'soketi');
    const env = Object.fromEntries(soketi.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.SOKETI_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC).toBe(String(soketiAppLimits(c).maxBackendEventsPerSecond));
    expect(env.SOKETI_DEFAULT_APP_MAX_CLIENT_EVENTS_PER_SEC).toBe(String(soketiAppLimits(c).maxClientEventsPerSecond));
    expect(soketiAppLimits(c).maxBackendEventsPerSecond).toBeGreaterThanOrEqual(peakEventsPerSecond(c));
  });

  it('refuses peak events per second above what Soketi delivers at max replicas, naming both numbers', () => {
    const c = production.config;
    const perPod = c.soketi.eventsPerSecondPerPod;
    const peak = peakEventsPerSecond(c);
    // The largest replicas.max that cannot carry the peak, and the smallest that can.
    const short = Math.ceil(peak / perPod) - 1;
    expect(eventsFitSoketi(withPatch({ soketi: { replicas: { max: short + 1 } } }))).toEqual([]);
    expect(eventsFitSoketi(withPatch({ soketi: { replicas: { min: 1, max: short } } }))).toEqual([{
      path: 'soketi.replicas.max',
      reason:
        `peak ${peak} events/s (capacity.peakConcurrentUsers ${c.capacity.peakConcurrentUsers} x eventsPerUserPerMinute ` +
        `${c.capacity.eventsPerUserPerMinute} / 60) exceeds Soketi's ${short * perPod} events/s (soketi.replicas.max ${short} x ` +
        `soketi.eventsPerSecondPerPod ${perPod}): needs ${short + 1} pods, or fewer events per user (coalesce in the app, docs/decisions/0007)`,
    }]);
    expect(CAPACITY_RULES).toContain(eventsFitSoketi);
  });

  it('refuses peak event rates above the per-app rate limits', () => {
    const c = production.config;
    const [peak, perUser] = [peakEventsPerSecond(c), Math.ceil(c.capacity.eventsPerUserPerMinute / 60)];
    const tooLow = eventsFitRateLimits(() => ({ maxConnections: 10000, maxBackendEventsPerSecond: peak - 1, maxClientEventsPerSecond: perUser - 1 }));
    expect(tooLow(c)).toEqual([
      {
        path: 'capacity.eventsPerUserPerMinute',
        reason:
          `peak ${peak} events/s (capacity.peakConcurrentUsers ${c.capacity.peakConcurrentUsers} x eventsPerUserPerMinute ${c.capacity.eventsPerUserPerMinute} / 60) ` +
          `exceeds Soketi's max backend events per second ${peak - 1}`,
      },
      {
        path: 'capacity.eventsPerUserPerMinute',
        reason: `${perUser} events/s per connection (eventsPerUserPerMinute ${c.capacity.eventsPerUserPerMinute} / 60) exceeds Soketi's max client events per second ${perUser - 1}`,
      },
    ]);
  });
});

describe('scale to zero', () => {
  it('needs scaleToZero to allow a worker min of 0, and min 0 when it is set', () => {
    const groups = production.config.workers;
    const implicit = { ...production.config, workers: [{ ...groups[0]!, replicas: { min: 0, max: 10 } }, ...groups.slice(1)] };
    expect(scaleToZeroIsDeliberate(implicit)).toEqual([
      { path: 'workers[0].replicas.min', reason: 'is 0 but scaleToZero is not true (set it to scale to zero on purpose)' },
    ]);
    const contradictory = { ...production.config, workers: [{ ...groups[0]!, scaleToZero: true }, ...groups.slice(1)] };
    expect(scaleToZeroIsDeliberate(contradictory)).toEqual([
      { path: 'workers[0].replicas.min', reason: 'is 2 but scaleToZero is true (set min to 0)' },
    ]);
    const ok = { ...production.config, workers: [{ ...groups[0]!, scaleToZero: true, replicas: { min: 0, max: 10 } }, ...groups.slice(1)] };
    expect(scaleToZeroIsDeliberate(ok)).toEqual([]);
  });
});

describe('cluster capacity (rendered pods)', () => {
  it("counts a pod's request as the scheduler does: containers + sidecars, or the largest init container", () => {
    const c = (cpu: string, memory: string, restartPolicy?: string) => ({ name: 'c', restartPolicy, resources: { requests: { cpu, memory } } });
    expect(podRequests({ containers: [c('100m', '64Mi'), c('500m', '1Gi')], initContainers: [c('500m', '1Gi')] }))
      .toEqual({ cpuMillis: 600, memoryMiB: 1088 });
    expect(podRequests({ containers: [c('100m', '64Mi')], initContainers: [c('2', '3Gi'), c('50m', '32Mi', 'Always')] }))
      .toEqual({ cpuMillis: 2000, memoryMiB: 3072 });
  });

  it('takes replica ranges from the ScaledObjects and fixed counts from spec.replicas', () => {
    const demands = workloadDemands(rendered(production.config));
    const c = production.config;
    expect(demands.find((d) => d.name === 'web')).toMatchObject({ min: c.web.replicas.min, max: c.web.replicas.max });
    expect(demands.find((d) => d.name === 'scheduler')).toMatchObject({ min: 1, max: 1 });
  });

  it('refuses a maximum the pools cannot hold, naming requests and allocatable', () => {
    const broken = withPatch({ cluster: { pools: [{ name: 'general', type: 'g6-standard-6', min: 3, max: 4 }] } });
    const problems = clusterCapacityProblems({ ...production, config: broken }, rendered(broken));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('cluster.pools[].max');
    const web = workloadDemands(rendered(broken)).find((d) => d.name === 'web')!;
    const webText = `web 20 x ${Math.round(web.pod.cpuMillis)}m/${Math.round(web.pod.memoryMiB)}Mi`;
    expect(problems[0]!.reason).toContain(webText);
    expect(problems[0]!.reason).toMatch(/^at maximum replicas the app requests [\d.]+ CPU \/ [\d.]+ GiB \(.*\), but the pools at their max \(general 4 x g6-standard-6\) leave [\d.]+ CPU \/ [\d.]+ GiB allocatable/);
  });

  it('refuses a minimum the pools at their minimum cannot hold', () => {
    const broken = withPatch({ web: { replicas: { min: 20, max: 20 } } });
    const problems = clusterCapacityProblems({ ...production, config: broken }, rendered(broken));
    expect(problems.map((p) => p.path)).toEqual(['cluster.pools[].min']);
    expect(problems[0]!.reason).toContain('general 3 x g6-standard-6');
  });

  it('refuses a pod larger than any node', () => {
    const huge = { requests: { cpu: '500m', memory: '15Gi' }, limits: { memory: '15Gi' } };
    const broken = withPatch({ web: { phpFpm: { resources: huge } } });
    const problems = clusterCapacityProblems({ ...production, config: broken }, rendered(broken));
    expect(problems.map((p) => p.reason)).toContainEqual(expect.stringMatching(/^Deployment web requests [\d.]+ CPU \/ 15\.\d+ GiB per pod, more than the largest node/));
  });

  it('stops synth (renderEnvironment) with a ConfigError naming the file', () => {
    const broken = withPatch({ cluster: { pools: [{ name: 'general', type: 'g6-standard-6', min: 3, max: 4 }] } });
    expect(() => renderEnvironment({ ...production, config: broken })).toThrow(ConfigError);
    expect(() => checkClusterCapacity({ ...production, config: broken }, rendered(broken))).toThrow(
      /invalid environment "production" in apps\/environments\/production\.ts:\n {2}- cluster\.pools\[\]\.max: at maximum replicas/,
    );
  });
});

describe('npm run synth on a PR that breaks an invariant', () => {
  // The same entry point CI runs, on a copy of the environment files with one number changed.
  /** Runs an entry point (synth by default) on a copy of the environments with production edited. */
  function synthWith(edit: (production: string) => string, entry: (envs: string, out: string) => string[] =
    (envs, out) => ['apps/main.ts', '--environments-dir', envs, '--out', out]) {
    const dir = mkdtempSync(join(tmpdir(), 'capacity-'));
    try {
      mkdirSync(join(dir, 'envs'));
      for (const f of ['base.ts', 'staging.ts']) copyFileSync(join(REPO_ROOT, 'apps/environments', f), join(dir, 'envs', f));
      const original = readFileSync(join(REPO_ROOT, 'apps/environments/production.ts'), 'utf8');
      const edited = edit(original);
      expect(edited).not.toBe(original);
      writeFileSync(join(dir, 'envs/production.ts'), edited);
      symlinkSync(join(REPO_ROOT, 'apps/config'), join(dir, 'config')); // base.ts imports ../config
      const run = spawnSync('npx', ['tsx', ...entry(join(dir, 'envs'), join(dir, 'out'))], {
        cwd: REPO_ROOT, encoding: 'utf8',
      });
      return { status: run.status, stderr: run.stderr, wrote: existsSync(join(dir, 'out')) && readdirSync(join(dir, 'out')).length > 0 };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('fails, names the file and the colliding numbers, and writes nothing (web maxReplicas 60)', () => {
    const result = synthWith((s) => s.replace("  cluster: {\n", '  web: { replicas: { min: 3, max: 60 } },\n  cluster: {\n'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('production.ts');
    expect(result.stderr).toMatch(/database\.maxConnections: at maximum scale the app may open \d+ connections per server \(web 60 pods \(web\.replicas\.max\) x 13 pm\.max_children = 780;/);
    expect(result.stderr).toContain('nothing was written');
    expect(result.wrote).toBe(false);
  });

  it('is refused by npm run cost as by synth: the same rule list, file and field named, no stack trace', () => {
    const result = synthWith((s) => s.replace("  cluster: {\n", '  web: { replicas: { min: 3, max: 60 } },\n  cluster: {\n'),
      (envs) => ['tools/cost/cli.ts', '--all', '--environments-dir', envs]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('invalid environment "production" in');
    expect(result.stderr).toMatch(/database\.maxConnections: at maximum scale the app may open \d+ connections per server \(web 60 pods/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('fails when the node pools cannot hold the maximum (pool max 3)', () => {
    const result = synthWith((s) => s.replace('min: 3, max: 10', 'min: 3, max: 3'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cluster.pools[].max: at maximum replicas the app requests');
    expect(result.wrote).toBe(false);
  });
});
