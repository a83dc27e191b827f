/**
 * The worker's supervisor loop, exactly as rendered into the worker Deployments' command, run by
 * the real /bin/sh (dash on Debian) around the real `php artisan queue:work` of the Laravel 12
 * skeleton, on a real redis-server (127.0.0.1:16391):
 * - a clean exit (--max-jobs reached) starts queue:work again in place, no back-off;
 * - a failing queue:work (over its --memory limit: exit 12) ends the loop with that exit code;
 * - SIGTERM mid-job reaches queue:work, which finishes the job; the loop exits 0, no restart.
 * The child's argv is the test's own (--max-jobs=1, a local queue): the rendered one's values
 * are the config's, and the loop treats its arguments as opaque.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_SUPERVISOR_NAME } from '../../../charts/lib/worker-supervisor.js';
import { renderedEnvironments } from '../../unit/support/rendered-objects.js';
import { prepareApp, processEnv, runInApp, type PreparedApp } from './laravel-app.js';

const REDIS_PORT = 16391;

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered JSON */
const [production] = (await renderedEnvironments()).filter((e) => e.name === 'production');
const workers = production!.objects.filter((o) => o.kind === 'Deployment' && o.metadata.name.startsWith('worker-'));
const rendered: string[] = workers[0]!.spec.template.spec.containers.find((c: any) => c.name === 'worker').command;

let app: PreparedApp;
let redis: ChildProcess;
let work: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (ok()) return;
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

const env = (port: number) => ({
  APP_KEY: `base64:${Buffer.alloc(32, 7).toString('base64')}`,
  QUEUE_CONNECTION: 'redis', REDIS_CLIENT: 'phpredis', REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port),
  CACHE_STORE: 'array', DB_CONNECTION: 'sqlite', DB_DATABASE: ':memory:', LOG_CHANNEL: 'stderr',
  JOB_LOG: join(work, 'jobs.log'),
});

interface Supervised { proc: ChildProcess; exited: Promise<number | null>; stderr: () => string }

/** The rendered command with the test's child argv, in its own process group (for cleanup). */
function supervise(child: string[], port = REDIS_PORT): Supervised {
  const [sh, dashC, script, name] = rendered;
  let err = '';
  const proc = spawn(sh!, [dashC!, script!, name!, ...child], { cwd: app.dir, env: processEnv(env(port)), detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr!.on('data', (d) => { err += String(d); });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { proc, exited, stderr: () => err };
}

const jobLog = () => (existsSync(join(work, 'jobs.log')) ? readFileSync(join(work, 'jobs.log'), 'utf8').trim().split('\n') : []);
const queueWork = (...extra: string[]) => ['php', 'artisan', 'queue:work', 'redis', '--queue=default', '--sleep=0', '--tries=1', ...extra];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'worker-supervisor-'));
  app = prepareApp();
  writeFileSync(join(work, 'redis.conf'), `bind 127.0.0.1\nport ${REDIS_PORT}\nsave ""\nappendonly no\ndir ${work}\n`);
  redis = spawn('redis-server', [join(work, 'redis.conf')], { stdio: 'ignore', detached: true });
  await until('redis-server', () => spawnSync('redis-cli', ['-p', String(REDIS_PORT), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG');
});
afterAll(() => {
  if (redis?.pid) { try { process.kill(-redis.pid, 'SIGKILL'); } catch { /* gone */ } }
  app?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('worker supervisor loop (rendered script, real sh, real queue:work)', () => {
  it('every worker Deployment runs queue:work under the same rendered loop', () => {
    expect(rendered.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(rendered[3]).toBe(WORKER_SUPERVISOR_NAME);
    for (const w of workers) {
      const cmd = w.spec.template.spec.containers.find((c: any) => c.name === 'worker').command;
      expect(cmd.slice(0, 4)).toEqual(rendered.slice(0, 4));
      expect(cmd.slice(4, 7)).toEqual(['php', 'artisan', 'queue:work']);
    }
  });

  it('a clean exit (--max-jobs reached) restarts queue:work at once: 3 jobs, 3 processes', async () => {
    rmSync(join(work, 'jobs.log'), { force: true });
    runInApp(app, ['php', 'dispatch.php', '3', '0'], env(REDIS_PORT));
    const s = supervise(queueWork('--max-jobs=1'));
    try {
      await until('3 jobs done', () => jobLog().filter((l) => l.startsWith('done')).length === 3);
      const pids = new Set(jobLog().filter((l) => l.startsWith('done')).map((l) => l.split(' ')[1]));
      expect(pids.size).toBe(3);
      expect(s.proc.exitCode).toBeNull();
      expect(s.stderr()).not.toContain('worker-supervisor:');
    } finally {
      process.kill(-s.proc.pid!, 'SIGKILL');
      await s.exited;
    }
  });

  it('a failing queue:work ends the loop with its exit code (the kubelet sees the failure)', async () => {
    // --memory=1: queue:work stops at once with its memory-limit exit code (12), a real failure.
    const [php, ...args] = queueWork('--memory=1');
    const direct = spawnSync(php!, args, { cwd: app.dir, env: processEnv(env(REDIS_PORT)), encoding: 'utf8', timeout: 60_000 });
    expect(direct.status, direct.stderr + direct.stdout).toBe(12);
    const s = supervise(queueWork('--memory=1'));
    const code = await Promise.race([s.exited, sleep(60_000).then(() => 'still running')]);
    expect(code).toBe(direct.status);
    expect(s.stderr().match(/worker-supervisor: php exited with 12/g)).toHaveLength(1);
  });

  it('SIGTERM mid-job: queue:work gets it, finishes the job, and nothing restarts', async () => {
    rmSync(join(work, 'jobs.log'), { force: true });
    runInApp(app, ['php', 'dispatch.php', '2', '2'], env(REDIS_PORT));
    const s = supervise(queueWork('--max-jobs=100'));
    await until('the job started', () => jobLog().some((l) => l.startsWith('start')));
    const termAt = Date.now();
    process.kill(s.proc.pid!, 'SIGTERM'); // the loop only (PID 1 in the pod), not its group
    const code = await Promise.race([s.exited, sleep(30_000).then(() => 'still running')]);
    expect(code).toBe(0);
    // It waited for the job (2 s from its start, which came before the TERM).
    expect(Date.now() - termAt).toBeGreaterThan(1000);
    // The running job finished; the second one was never started (no new queue:work).
    expect(jobLog()).toEqual([jobLog()[0], `done ${jobLog()[0]!.split(' ')[1]}`]);
    expect(spawnSync('redis-cli', ['-p', String(REDIS_PORT), 'llen', 'laravel-database-queues:default'], { encoding: 'utf8' }).stdout.trim()).toBe('1');
  });
});
