/**
 * Rehearsal (issue 14): a real Laravel 12 app (skeleton + tests/rehearsal/app + the contract's
 * config lines) on exactly what synth generated for production: Redis with the generated
 * redis.conf, nginx + php-fpm with the rendered files, the converged MariaDB primary and replica
 * (TLS, reached by the Service names), two Soketi processes on the Redis adapter, and each
 * Laravel process started with its manifest's env and command line.
 * Run by tests/rehearsal/run.sh (inside its name namespace) from the converge suite.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironments } from '../../apps/load.js';
import { redisInstances } from '../../charts/lib/redis-instances.js';
import { http, waitFor } from '../integration/web/servers.js';
import { httpGet } from '../integration/support/loopback-http.js';
import { REALTIME_SERVERS } from '../../charts/lib/realtime-servers.js';
import { appEnv, container, envOf, flag, workerGroups, workload } from './platform.js';
import { LaravelPod, makeRoot, prepareApp, Proc, redisCli, redisKeys, startRedis, startSoketi, startWeb } from './servers.js';

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
let webEnv: Record<string, string>;
let scheduler: Proc;
/** The job longer than the skeleton's 90 s retry_after (check 4), dispatched early, checked last. */
let longJob: { token: string; seconds: number; dispatchedAt: number; timeout: number; retryAfter: number; group: string };

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

/** Check 1's two runs of the Job command (a new pod each, as two Jobs). */
function migrateTwice(job: any, pod: LaravelPod): void {
  const first = pod.run(container(job, 'migrate').command);
  expect(first.status, first.output).toBe(0);
  expect(first.output).toMatch(/create_rehearsal_tables .*DONE/);
  const log = sql('primary', "SELECT CONCAT(account, ' ', tls) FROM marketplace.rehearsal_migration_log");
  expect(log).toMatch(new RegExp(`^${pod.env.DB_USERNAME}@\\S+ TLSv1\\.[23]$`));
  expect(pod.env.DB_USERNAME).not.toBe(appEnv.DB_USERNAME);
  const second = podFor(job, 'migrate', 'migrate-again').run(container(job, 'migrate').command);
  expect(second.status, second.output).toBe(0);
  expect(second.output).toMatch(/Nothing to migrate/);
  expect(sql('primary', 'SELECT COUNT(*) FROM marketplace.rehearsal_migration_log')).toBe('1');
}

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
  const soketiAddresses = [(await lookup(appEnv.PUSHER_HOST!, { family: 4 })).address, process.env.REHEARSAL_SOKETI_PEER!];
  for (const [i, address] of soketiAddresses.entries()) {
    const p = startSoketi(root, `soketi-${i}`, soketiEnv, address);
    procs.push(p);
    let up = false;
    for (let tries = 0; tries < 60 && !up && p.alive; tries++) {
      up = await httpGet(Number(soketiEnv.SOKETI_PORT), REALTIME_SERVERS[process.env.REHEARSAL_REALTIME_SERVER === 'sockudo' ? 'sockudo' : 'soketi'].livenessPath, address).then((r) => r.status === 200, () => false);
      if (!up) await sleep(500);
    }
    if (!up) throw new Error(`${p.name} not serving on ${address}:${soketiEnv.SOKETI_PORT}: ${p.log().slice(-2000)}`);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.terminate(5)));
  // Retries: a killed process group may still be closing files under the root.
  if (!process.env.REHEARSAL_KEEP) rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
});

describe('rehearsal: a real Laravel 12 app on the generated production platform', () => {
  it('1. the migrations Job command migrates over TLS as the migration user; a second run is a no-op, even behind a lagging replica', () => {
    const job = workload('Job', 'migrate-');
    const pod = podFor(job, 'migrate', 'migrate');
    // Replica lag between two Jobs (a redeploy right after a release): its SQL thread stopped.
    sql('replica1', 'STOP SLAVE SQL_THREAD');
    try {
      migrateTwice(job, pod);
    } finally {
      sql('replica1', 'START SLAVE SQL_THREAD');
    }
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
    // The scheduler starts now: its first minute boundary falls while the other checks run.
    scheduler = startLaravelPod(workload('Deployment', 'scheduler'), 'scheduler', 'scheduler');
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

  it('4 (start). a job longer than 90 s but within its group timeout is dispatched, with a second idle worker of the group', async () => {
    // The group with the shortest --timeout above 90 s; the job takes the middle of the two.
    const candidates = groups.map((g) => ({ g, timeout: flag(container(g.owner, 'worker').command, 'timeout') })).filter((c) => c.timeout > 90).sort((a, b) => a.timeout - b.timeout);
    expect(candidates.length, 'a worker group whose --timeout exceeds 90 s').toBeGreaterThan(0);
    const { g, timeout } = candidates[0]!;
    const retryAfter = Number(envOf(g.owner, 'worker', secrets).REDIS_QUEUE_RETRY_AFTER);
    const seconds = (90 + timeout) / 2;
    startWorker(g.name, 1);
    const t = token();
    await get(`/rehearsal/dispatch?job=${g.name.replace('worker-', '')}&queue=${g.queues[0]}&token=${t}&seconds=${seconds}`);
    longJob = { token: t, seconds, dispatchedAt: Date.now(), timeout, retryAfter, group: g.name };
  });

  it('6. a broadcast from a job reaches a websocket client of the other Soketi process, on a private channel authorised by /broadcasting/auth', async () => {
    const soketiEnv = envOf(workload('Deployment', 'soketi'), 'soketi', secrets);
    const channel = `private-rehearsal.${token()}`;
    // Node's own WHATWG WebSocket (run.sh enables it on Node 20): no client library needed.
    const ws = new WebSocket(`ws://${process.env.REHEARSAL_SOKETI_PEER}:${soketiEnv.SOKETI_PORT}/app/${soketiEnv.SOKETI_DEFAULT_APP_KEY}?protocol=7&client=js&version=8.4.0`);
    const messages: any[] = [];
    ws.addEventListener('message', (e) => messages.push(JSON.parse(String(e.data))));
    const next = async (event: string, seconds = 20) => until(`websocket event ${event}`, seconds, () => messages.find((m) => m.event === event));
    try {
      const established = await next('pusher:connection_established');
      const socketId = JSON.parse(established.data).socket_id as string;
      const form = Buffer.from(new URLSearchParams({ socket_id: socketId, channel_name: channel }).toString());
      const post = (headers: Record<string, string>) => http(PORTS.http, '/broadcasting/auth', {
        method: 'POST', body: form, timeoutMs: 30_000,
        headers: { host: new URL(appEnv.APP_URL!).host, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
      });
      const guest = await post({});
      expect([403, 419], `guest /broadcasting/auth: ${guest.status}`).toContain(guest.status);
      const login = await get('/rehearsal/login');
      const cookies = ([] as string[]).concat(login.__headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      const auth = await post({ cookie: cookies, 'x-csrf-token': login.csrf });
      expect(auth.status, auth.body.slice(0, 500)).toBe(200);
      ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel, auth: JSON.parse(auth.body).auth } }));
      await next('pusher_internal:subscription_succeeded');
      await get(`/rehearsal/dispatch?job=broadcast&queue=${groups[0]!.queues[0]}&token=${channel.replace('private-rehearsal.', '')}`);
      const got = await next('rehearsal.ping', 30);
      expect(got.channel).toBe(channel);
      expect(JSON.parse(got.data)).toMatchObject({ token: channel.replace('private-rehearsal.', '') });
    } finally {
      ws.close();
    }
  });

  it('5. cache keys land on the cache Redis; the queue Redis holds only queues and sessions', async () => {
    const t = token();
    const r = await get(`/rehearsal/cache?token=${t}`);
    expect(r.cached).toBe(t);
    const web = workload('Deployment', 'web');
    const cachePrefix = JSON.parse(podFor(web, 'php-fpm', 'print-config').run(['php', 'print-config.php', 'cache.prefix']).output)['cache.prefix'] as string;
    const cacheKeys = redisKeys(cacheRedis.address, cacheRedis.port, redisPassword);
    expect(cacheKeys.filter((k) => k.includes(`rehearsal:${t}`)).length, cacheKeys.join(' ')).toBe(1);
    // Sessions use the queue connection's database (SESSION_CONNECTION): keys "<db>/<prefixes><id>".
    const queueKeys = redisKeys(queueRedis.address, queueRedis.port, redisPassword);
    const session = `${appEnv.REDIS_PREFIX}${cachePrefix}${r.session}`;
    expect(queueKeys.map((k) => k.replace(/^\d+\//, ''))).toContain(session);
    const queue = new RegExp(`^\\d+/${appEnv.REDIS_PREFIX}queues:`);
    const sessionKey = new RegExp(`^\\d+/${appEnv.REDIS_PREFIX}${cachePrefix}[A-Za-z0-9]{40}$`);
    expect(queueKeys.filter((k) => !queue.test(k) && !sessionKey.test(k))).toEqual([]);
  });

  it('8. SIGTERM to a worker mid-job, with the manifest grace period, finishes the job: nothing lost, nothing twice', async () => {
    const g = groups[0]!;
    const worker = workers.get(g.name)![0]!;
    const t = token();
    const timeout = flag(container(g.owner, 'worker').command, 'timeout');
    await get(`/rehearsal/dispatch?job=${g.name.replace('worker-', '')}&queue=${g.queues[0]}&token=${t}&seconds=${Math.min(15, timeout / 2)}`);
    await until('the job to start', 30, () => runs(t).some((r) => r.phase === 'started'));
    const stopped = await worker.terminate(g.grace);
    expect(stopped, worker.log().slice(-2000)).toMatchObject({ killed: false, code: 0 });
    expect(runs(t).map((r) => `${r.phase}#${r.attempt}`)).toEqual(['started#1', 'finished#1']);
    for (const l of g.listNames) {
      expect(rq('llen', l), l).toBe('0');
      expect(rq('zcard', `${l}:reserved`), `${l}:reserved`).toBe('0');
    }
    startWorker(g.name, 1);
  });

  it('10. a REDIS_PREFIX change strands jobs queued under the old prefix until a worker with the old prefix drains them', async () => {
    const g = groups[groups.length - 1]!;
    const listName = g.listNames[0]!;
    const oldPrefix = appEnv.REDIS_PREFIX!;
    expect(listName.startsWith(oldPrefix), `${listName}: KEDA watches the key under REDIS_PREFIX`).toBe(true);
    for (const w of workers.get(g.name) ?? []) await w.terminate(g.grace);
    workers.set(g.name, []);
    const t = token();
    await get(`/rehearsal/dispatch?job=${g.name.replace('worker-', '')}&queue=${g.queues[0]}&token=${t}`);
    // The rollout: workers come up with the new prefix first (web pods still push with the old one).
    const newPrefix = `${oldPrefix}v2-`;
    startWorker(g.name, 2, { REDIS_PREFIX: newPrefix });
    const sleepSeconds = flag(container(g.owner, 'worker').command, 'sleep');
    await sleep(sleepSeconds * 3 * 1000);
    expect(runs(t), 'a new-prefix worker ran an old-prefix job').toEqual([]);
    expect(rq('llen', listName), `${listName} after ${sleepSeconds * 3} s of new-prefix workers`).toBe('1');
    // The roll docs/rehearsal.md gives: keep one old-prefix worker until the old lists are empty.
    startWorker(g.name, 3);
    await until(`the old-prefix worker drains ${listName}`, 60, () => runs(t).some((r) => r.phase === 'finished'));
    expect(rq('llen', listName)).toBe('0');
  });

  it('7. the scheduler process fires the scheduled command', async () => {
    await until('a rehearsal:tick run by the scheduler', 75, () => runs('tick').length > 0 || (!scheduler.alive && 'exited'));
    expect(scheduler.alive, scheduler.log().slice(-2000)).toBe(true);
    expect(runs('tick').length).toBeGreaterThan(0);
  });

  it('4. the job longer than 90 s but within its group timeout ran once, not twice', async () => {
    const { token: t, seconds, dispatchedAt, timeout, retryAfter, group } = longJob;
    await until(`the ${seconds} s job to finish`, Math.ceil(timeout + 15 - (Date.now() - dispatchedAt) / 1000), () => runs(t).some((r) => r.phase === 'finished'));
    // Past the skeleton's 90 s: a second worker of the group would have re-reserved it by now.
    expect(runs(t).map((r) => `${r.phase}#${r.attempt}`), `${group}: ${seconds} s job, --timeout ${timeout}, retry_after ${retryAfter}`).toEqual(['started#1', 'finished#1']);
    expect(retryAfter, `${group}: retry_after > --timeout > job (${seconds} s) > 90 s`).toBeGreaterThan(timeout);
  });
});

