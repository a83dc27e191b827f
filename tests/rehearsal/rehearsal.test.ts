/**
 * Rehearsal (issue 14): a real Laravel 12 app (skeleton + tests/rehearsal/app + the contract's
 * config lines) on exactly what synth generated for production: Redis with the generated
 * redis.conf, nginx + php-fpm with the rendered files, the converged MariaDB primary and replica
 * (TLS, reached by the Service names), two Soketi processes on the Redis adapter, and each
 * Laravel process started with its manifest's env and command line.
 * Run by tests/rehearsal/run.sh (inside its name namespace) from the converge suite.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironments } from '../../apps/config/index.js';
import { redisInstances } from '../../charts/lib/redis-instances.js';
import { http, waitFor } from '../integration/web/servers.js';
import { appEnv, container, envOf, flag, workerGroups, workload } from './platform.js';
import { LaravelPod, makeRoot, prepareApp, Proc, redisCli, startRedis, startSoketi, startWeb } from './servers.js';

const WORK = process.env.REHEARSAL_DB_WORK;
if (!WORK) throw new Error('REHEARSAL_DB_WORK is not set: run through tests/rehearsal/run.sh');
const PORTS = { http: 18280, nginxStatus: 18282, fastcgi: 19200, fpmStatus: 19201 };
const config = (await loadEnvironments()).find((e) => e.name === 'production')!.config;

// Test values for the Secrets (the cluster's come from SOPS); DB passwords are the converge's.
const redisPassword = randomBytes(12).toString('hex');
const secretValues: Record<string, string> = {
  'app-secrets/APP_KEY': `base64:${randomBytes(32).toString('base64')}`,
  'app-secrets/DB_PASSWORD': process.env.APP_PASSWORD!,
  'database-migrations/DB_PASSWORD': process.env.MIGRATION_PASSWORD!,
  'app-secrets/MEILISEARCH_KEY': randomBytes(8).toString('hex'),
  'redis-auth/REDIS_PASSWORD': redisPassword,
  'soketi-app/PUSHER_APP_KEY': randomBytes(8).toString('hex'),
  'soketi-app/PUSHER_APP_SECRET': randomBytes(16).toString('hex'),
};
const secrets = (name: string, key: string): string => {
  const v = secretValues[`${name}/${key}`];
  if (v === undefined) throw new Error(`rehearsal: no test value for Secret ${name} key ${key}`);
  return v;
};

/** SQL as root on a converged host (the suite's view, not the app's). */
function sql(host: 'primary' | 'replica1', query: string): string {
  return execFileSync('chroot', [join(WORK!, host), 'mariadb', '-N', '-B', '-e', query], { encoding: 'utf8' }).trim();
}

const root = makeRoot();
const redisPort = Number(appEnv.REDIS_PORT);
const queueRedis = { address: '', port: redisPort };
const cacheRedis = { address: '', port: redisPort };
const rq = (...args: string[]) => redisCli(queueRedis.address, queueRedis.port, redisPassword, args);
const rc = (...args: string[]) => redisCli(cacheRedis.address, cacheRedis.port, redisPassword, args);
const procs: Proc[] = [];
const workers = new Map<string, Proc[]>();
const groups = workerGroups();
const groupOf = (queue: string) => {
  const g = groups.find((x) => x.queues.includes(queue));
  if (!g) throw new Error(`no worker group takes queue ${queue}`);
  return g;
};
let webEnv: Record<string, string>;

function podFor(owner: any, main: string, name: string, env?: Record<string, string>): LaravelPod {
  const mounts = container(owner, main).volumeMounts?.map((m: any) => m.mountPath) ?? [];
  return new LaravelPod(root, name, env ?? envOf(owner, main, secrets), mounts);
}

/** The pod's init container (`artisan optimize`), then its main container's command. */
function startLaravelPod(owner: any, main: string, name: string, override: Record<string, string> = {}): Proc {
  const pod = podFor(owner, main, name);
  const env = { ...pod.env, ...override };
  const init = container(owner, 'laravel-optimize');
  const r = pod.run(init.command, { ...pod.env, ...override });
  if (r.status !== 0) throw new Error(`${name}: laravel-optimize exited ${r.status}: ${r.output}`);
  const proc = pod.start(container(owner, main).command, env);
  procs.push(proc);
  return proc;
}

function startWorker(group: string, index: number, override: Record<string, string> = {}): Proc {
  const g = groups.find((x) => x.name === group)!;
  const p = startLaravelPod(g.owner, 'worker', `${group}-${index}`, override);
  workers.set(group, [...(workers.get(group) ?? []), p]);
  return p;
}

async function get(path: string, headers: Record<string, string> = {}): Promise<any> {
  const res = await http(PORTS.http, path, { headers: { host: new URL(appEnv.APP_URL!).host, ...headers }, timeoutMs: 30_000 });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.slice(0, 2000)}`);
  return { ...JSON.parse(res.body), __headers: res.headers };
}

function runs(token: string): { job: string; phase: string; attempt: number; pid: number }[] {
  const out = sql('primary', `SELECT job, phase, attempt, pid FROM marketplace.rehearsal_runs WHERE token = '${token}' ORDER BY id`);
  return out === '' ? [] : out.split('\n').map((l) => { const [job, phase, attempt, pid] = l.split('\t'); return { job: job!, phase: phase!, attempt: Number(attempt), pid: Number(pid) }; });
}

async function until<T>(what: string, seconds: number, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(500);
  }
}

const token = () => `t${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  const instances = redisInstances(config);
  const redisSts = (name: string) => workload(['StatefulSet', 'Deployment'], name);
  for (const instance of instances) {
    const address = (await lookup(instance.name, { family: 4 })).address;
    const owner = redisSts(instance.name);
    procs.push(startRedis(root, instance, container(owner, 'redis-auth').command, address, redisPort, redisPassword));
    if (instance.name === appEnv.REDIS_HOST) queueRedis.address = address;
    if (instance.name === appEnv.REDIS_CACHE_HOST) cacheRedis.address = address;
  }
  await until('both Redis answer', 10, () => { try { return rq('ping') === 'PONG' && rc('ping') === 'PONG'; } catch { return false; } });
  prepareApp(root);
  const soketi = workload('Deployment', 'soketi');
  const soketiEnv = envOf(soketi, 'soketi', secrets);
  procs.push(startSoketi(root, 'soketi-0', soketiEnv, (await lookup(appEnv.PUSHER_HOST!, { family: 4 })).address));
  procs.push(startSoketi(root, 'soketi-1', soketiEnv, process.env.REHEARSAL_SOKETI_PEER!));
}, 120_000);

afterAll(async () => {
  await Promise.all(procs.filter((p) => p.alive).map((p) => p.terminate(5)));
  if (!process.env.REHEARSAL_KEEP) execFileSync('rm', ['-rf', '--one-file-system', root]);
});

describe('rehearsal: a real Laravel 12 app on the generated production platform', () => {
  it('1. the migrations Job command migrates over TLS as the migration user; a second run is a no-op', () => {
    const job = workload('Job', 'migrate-');
    const pod = podFor(job, 'migrate', 'migrate');
    const first = pod.run(container(job, 'migrate').command);
    expect(first.status, first.output).toBe(0);
    const log = sql('primary', "SELECT CONCAT(account, ' ', tls) FROM marketplace.rehearsal_migration_log");
    expect(log).toMatch(new RegExp(`^${pod.env.DB_USERNAME}@\\S+ TLSv1\\.[23]$`));
    expect(pod.env.DB_USERNAME).not.toBe(appEnv.DB_USERNAME);
    const second = podFor(job, 'migrate', 'migrate-again').run(container(job, 'migrate').command);
    expect(second.status, second.output).toBe(0);
    expect(second.output).toMatch(/Nothing to migrate/);
    expect(sql('primary', 'SELECT COUNT(*) FROM marketplace.rehearsal_migration_log')).toBe('1');
  });

  it('web: nginx + php-fpm with the rendered files serve the app', async () => {
    const web = workload('Deployment', 'web');
    const pod = podFor(web, 'php-fpm', 'web');
    webEnv = pod.env;
    const r = pod.run(container(web, 'laravel-optimize').command);
    expect(r.status, r.output).toBe(0);
    const { nginx, phpFpm } = startWeb(root, config, PORTS, webEnv);
    procs.push(nginx, phpFpm);
    await waitFor(PORTS.http, '/up', 200, 20_000).catch((e) => { throw new Error(`${e}\n${phpFpm.log()}\n${nginx.log()}`); });
  });

  it('2. a request writes through the primary and reads its own write (sticky); a later request reads through the replica', async () => {
    const primary = sql('primary', 'SELECT @@report_host');
    const replica = sql('replica1', 'SELECT @@report_host');
    const t = token();
    const wrote = await get(`/rehearsal/db/write?token=${t}`);
    expect(wrote).toMatchObject({ token: t, server: primary });
    const read = await until('the row on the replica', 20, () => sql('replica1', `SELECT COUNT(*) FROM marketplace.rehearsal_rows WHERE token = '${t}'`) === '1');
    expect(read).toBe(true);
    expect(await get(`/rehearsal/db/read?token=${t}`)).toMatchObject({ token: t, server: replica });
  });

  it('3. a job dispatched from a web request lands on the ScaledObject listName key; the Deployment command consumes it', async () => {
    for (const g of groups) {
      const tokens = new Map<string, string>();
      for (const q of g.queues) {
        const t = token();
        tokens.set(q, t);
        await get(`/rehearsal/dispatch?job=${g.name.replace('worker-', '')}&queue=${q}&token=${t}`);
      }
      // Every list holding a job of this group, as the KEDA scaler would see it.
      const lists = rq('--scan').split('\n').filter((k) => k && rq('type', k) === 'list');
      const hit = [...tokens.values()].map((t) => lists.filter((k) => rq('lrange', k, '0', '-1').includes(t)));
      expect(hit.map((keys) => keys.length), `${g.name}: lists holding each job`).toEqual(g.queues.map(() => 1));
      expect(hit.map((keys) => keys[0]).sort(), `${g.name}: the ScaledObject listNames`).toEqual([...g.listNames].sort());
      startWorker(g.name, 0);
      for (const t of tokens.values()) await until(`${g.name} runs ${t}`, 60, () => runs(t).some((r) => r.phase === 'finished'));
      for (const l of g.listNames) expect(rq('llen', l), l).toBe('0');
    }
  });

  it('9. a spoofed X-Forwarded-For from outside the trusted range is not $request->ip()', async () => {
    const r = await get('/rehearsal/ip', { 'x-forwarded-for': '203.0.113.9' });
    expect(r.ip).toBe('127.0.0.1');
  });
});
