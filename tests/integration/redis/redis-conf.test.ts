/**
 * The generated redis.conf of each instance on Debian's real redis-server (loopback only):
 * the password path the pod uses (the init container's own command writes auth.conf), auth
 * enforced, maxmemory and eviction as configured, persistence across a restart for the queue
 * instance only, destructive commands disabled, and no password in the server's argv.
 * Paths are moved under a temp dir by the renderer's prefix option; nothing else changes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { deepMerge, type EnvironmentConfig } from '../../../apps/config/index.js';
import { loadEnvironments } from '../../../apps/load.js';
import { redisInstances, type RedisInstance } from '../../../charts/lib/redis-instances.js';
import { RedisChart } from '../../../charts/redis-chart.js';
import { REDIS_AUTH_DIR, REDIS_DATA_DIR, renderRedisConf } from '../../../charts/redis/redis-conf.js';

const BASE_PORT = Number(process.env.REDIS_TEST_BASE_PORT ?? 16379);
const PASSWORD = 'x7Kp2mQ9vT4wZ8rB';
const production = (await loadEnvironments()).find((e) => e.name === 'production')!.config;
// Small maxmemory (the schema's minimum) so the eviction behaviour shows with a few MiB of data.
const config = deepMerge<EnvironmentConfig>(production, { redis: { cache: { maxmemoryMiB: 32 }, queue: { maxmemoryMiB: 32 } } });

const running = new Set<ChildProcess>();
const tempDirs: string[] = [];
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** The rendered init container command that writes auth.conf, for this instance. */
function authInitCommand(instance: RedisInstance): string[] {
  const objects = new RedisChart(new App(), 'redis', { config }).toJson() as any[];
  const workload = objects.find((o) => (o.kind === 'StatefulSet' || o.kind === 'Deployment') && o.metadata.name === instance.name);
  return workload.spec.template.spec.initContainers.find((c: any) => c.name === 'redis-auth').command;
}

function cli(port: number, args: string[], password?: string): string {
  try {
    return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
      env: { PATH: process.env.PATH, ...(password ? { REDISCLI_AUTH: password } : {}) },
      encoding: 'utf8',
    }).trim();
  } catch (error: any) {
    return `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Server { readonly port: number; readonly prefix: string; readonly conf: string; child?: ChildProcess }

function prepare(instance: RedisInstance, port: number): Server {
  const prefix = mkdtempSync(join(tmpdir(), `redis-${instance.role}-`));
  tempDirs.push(prefix);
  mkdirSync(join(prefix, REDIS_AUTH_DIR), { recursive: true });
  mkdirSync(join(prefix, REDIS_DATA_DIR), { recursive: true });
  // The init container's exact shell command, its one path moved under the prefix.
  const [shell, flag, script] = authInitCommand(instance);
  execFileSync(shell!, [flag!, script!.replaceAll(REDIS_AUTH_DIR, join(prefix, REDIS_AUTH_DIR))], {
    env: { PATH: process.env.PATH, REDIS_PASSWORD: PASSWORD },
  });
  const conf = join(prefix, 'redis.conf');
  writeFileSync(conf, renderRedisConf(instance, { prefix, port, bindAddress: '127.0.0.1' }));
  return { port, prefix, conf };
}

async function start(server: Server): Promise<void> {
  const child = spawn('redis-server', [server.conf], { stdio: 'ignore' });
  running.add(child);
  child.on('exit', () => running.delete(child));
  server.child = child;
  await waitFor(() => cli(server.port, ['ping'], PASSWORD) === 'PONG', `redis on ${server.port}`);
}

async function stop(server: Server): Promise<void> {
  const child = server.child!;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM'); // what the kubelet sends: Redis writes the AOF and exits
  await exited;
}

/**
 * Writes `count` values of 100 KiB through one redis-cli reading commands from stdin; returns
 * the replies that were not OK (one line each).
 */
function fill(port: number, count: number): string[] {
  const value = 'v'.repeat(100 * 1024);
  const commands = Array.from({ length: count }, (_, i) => `SET fill:${i} ${value}`).join('\n');
  const replies = execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port)], {
    input: `${commands}\n`,
    env: { PATH: process.env.PATH, REDISCLI_AUTH: PASSWORD },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return replies.split('\n').filter((line) => line.trim() !== '' && line.trim() !== 'OK');
}

const instances = redisInstances(config);

describe.each(instances.map((instance, i) => ({ role: instance.role, instance, port: BASE_PORT + i })))('$role instance', ({ instance, port }) => {
  const server = prepare(instance, port);

  it('starts with the generated config and refuses clients without the password', async () => {
    await start(server);
    expect(cli(port, ['ping'])).toMatch(/NOAUTH/);
    expect(cli(port, ['ping'], 'wrong-password')).toMatch(/WRONGPASS|invalid|NOAUTH/i);
    expect(cli(port, ['ping'], PASSWORD)).toBe('PONG');
    // auth.conf is private to the server user; the password is in no process argv.
    expect(readFileSync(`/proc/${server.child!.pid}/cmdline`, 'utf8')).not.toContain(PASSWORD);
  });

  it('runs with maxmemory, eviction policy and persistence from the config', () => {
    expect(cli(port, ['config', 'get', 'maxmemory'], PASSWORD).split('\n')[1]).toBe(String(instance.settings.maxmemoryMiB * 1024 * 1024));
    expect(cli(port, ['config', 'get', 'maxmemory-policy'], PASSWORD).split('\n')[1]).toBe(instance.maxmemoryPolicy);
    expect(cli(port, ['config', 'get', 'appendonly'], PASSWORD).split('\n')[1]).toBe(instance.persistent ? 'yes' : 'no');
    expect(cli(port, ['flushall'], PASSWORD)).toMatch(/unknown command/i);
  });

  it(instance.persistent ? 'rejects writes when full instead of evicting (queues are never dropped)' : 'evicts old keys when full (a cache)', () => {
    const failed = fill(port, 480); // ~48 MiB into 32 MiB
    const keys = Number(cli(port, ['dbsize'], PASSWORD));
    if (instance.persistent) {
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0]).toMatch(/OOM command not allowed/);
      expect(keys).toBe(480 - failed.length);
    } else {
      expect(failed).toEqual([]);
      expect(keys).toBeLessThan(480);
      expect(Number(cli(port, ['info', 'stats'], PASSWORD).match(/evicted_keys:(\d+)/)![1])).toBeGreaterThan(0);
    }
  });

  it(instance.persistent ? 'keeps its data across a restart (AOF)' : 'starts empty after a restart (no persistence)', async () => {
    cli(port, ['del', ...Array.from({ length: 480 }, (_, i) => `fill:${i}`)], PASSWORD);
    expect(cli(port, ['set', 'job:1', 'payload'], PASSWORD)).toBe('OK');
    await stop(server);
    await start(server);
    expect(cli(port, ['get', 'job:1'], PASSWORD)).toBe(instance.persistent ? 'payload' : '');
    await stop(server);
  });
});
