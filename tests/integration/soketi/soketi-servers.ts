/**
 * Soketi and the Redis it fans out through, on loopback, configured from the synthesized
 * manifests of one environment (environments/<env>/apps/base/{soketi,redis}.yaml):
 * - Soketi 1.6.1 (npm) with the Deployment's literal env; only listen ports, the Redis address
 *   and the secrets (app key/secret, Redis password: test values) are replaced;
 * - Debian's redis-server with the redis.conf of the instance Soketi's env names
 *   (SOKETI_DB_REDIS_HOST), its auth.conf written by the init container's own command; only
 *   port, bind address and paths move.
 * Each server runs in its own process group; its id is appended to $SOKETI_PGID_FILE so the
 * calling script's exit trap can kill what a crashed run leaves.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../../apps/config/index.js';
import { REDIS_AUTH_DIR, REDIS_DATA_DIR } from '../../../charts/redis/redis-conf.js';
import { SOKETI_PACKAGE_DIR, type PusherApp } from './pusher-protocol.js';
import { httpGet } from '../support/loopback-http.js';
export { httpGet };

/* eslint-disable @typescript-eslint/no-explicit-any */
type K8sObject = any;

function manifest(environment: string, file: string): K8sObject[] {
  const path = join(REPO_ROOT, 'environments', environment, 'apps/base', file);
  return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS()).filter(Boolean);
}

export interface SoketiManifest {
  /** The container's literal env (secret references left out). */
  readonly env: Readonly<Record<string, string>>;
  /** Names of the env vars the manifest fills from Secrets. */
  readonly secretEnv: readonly string[];
  /** The container's resources as the manifest states them. */
  readonly resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** The Soketi container of the environment's synthesized Deployment. */
export function soketiManifest(environment: string): SoketiManifest {
  const deployment = manifest(environment, 'soketi.yaml').find((o) => o.kind === 'Deployment' && o.metadata.name === 'soketi');
  if (!deployment) throw new Error(`environments/${environment}/apps/base/soketi.yaml: no Deployment soketi`);
  const container = deployment.spec.template.spec.containers.find((c: any) => c.name === 'soketi');
  const env: Array<{ name: string; value?: string; valueFrom?: unknown }> = container.env ?? [];
  return {
    env: Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!])),
    secretEnv: env.filter((e) => e.valueFrom !== undefined).map((e) => e.name),
    resources: container.resources ?? {},
  };
}

function log(dir: string, name: string): number {
  return openSync(join(dir, `${name}.log`), 'a');
}

function recordGroup(child: ChildProcess): void {
  if (process.env.SOKETI_PGID_FILE && child.pid) appendFileSync(process.env.SOKETI_PGID_FILE, `${child.pid}\n`);
}

/** A server process in its own group; stop() kills the group and waits (5 s at most). */
export class ServerProcess {
  constructor(readonly name: string, readonly child: ChildProcess, readonly logFile: string, private readonly onStop: () => void = () => {}) {}
  get pid(): number { return this.child.pid!; }
  output(): string {
    try { return readFileSync(this.logFile, 'utf8').slice(-3000); } catch { return ''; }
  }
  async stop(): Promise<void> {
    const gone = this.child.exitCode !== null || this.child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => { const t = setTimeout(resolve, 5000); this.child.once('exit', () => { clearTimeout(t); resolve(); }); });
    try { process.kill(-this.pid, 'SIGKILL'); } catch { /* already gone */ }
    await gone;
    this.onStop();
  }
}

/** Polls `check` until it holds (20 s by default); throws with the server's log when it never does or the server exits. */
export async function until(check: () => Promise<boolean> | boolean, what: string, proc: ServerProcess, tries = 80, everyMs = 250): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (proc.child.exitCode !== null) break;
    try { if (await check()) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what} did not come up\n--- ${proc.logFile}\n${proc.output()}`);
}

/** The redis.conf of a Redis instance (default: the one Soketi's SOKETI_DB_REDIS_HOST names), bound to `bind`:`port`. */
export async function startManifestRedis(environment: string, dir: string, port: number, password: string, instance?: string, bind = '127.0.0.1'): Promise<ServerProcess> {
  const host = instance ?? soketiManifest(environment).env.SOKETI_DB_REDIS_HOST;
  const objects = manifest(environment, 'redis.yaml');
  const conf: string | undefined = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${host}-config`)?.data?.['redis.conf'];
  const workload = objects.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name === host);
  if (!conf || !workload) throw new Error(`environments/${environment}/apps/base/redis.yaml: no ConfigMap ${host}-config or workload ${host} (SOKETI_DB_REDIS_HOST)`);
  const prefix = join(dir, `redis-${bind}-${port}`);
  mkdirSync(join(prefix, REDIS_AUTH_DIR), { recursive: true });
  mkdirSync(join(prefix, REDIS_DATA_DIR), { recursive: true });
  const [shell, flag, script] = workload.spec.template.spec.initContainers.find((c: any) => c.name === 'redis-auth').command as string[];
  execFileSync(shell!, [flag!, script!.replaceAll(REDIS_AUTH_DIR, join(prefix, REDIS_AUTH_DIR))], { env: { PATH: process.env.PATH, REDIS_PASSWORD: password } });
  const moved = conf
    .replace(/^port .*/m, `port ${port}`)
    .replace(/^bind .*/m, `bind ${bind}`)
    .replace(/^dir .*/m, `dir ${join(prefix, REDIS_DATA_DIR)}`)
    .replaceAll(REDIS_AUTH_DIR, join(prefix, REDIS_AUTH_DIR));
  writeFileSync(join(prefix, 'redis.conf'), moved);
  const logFile = join(dir, `redis-${bind}-${port}.log`);
  const fd = log(dir, `redis-${bind}-${port}`);
  const child = spawn('redis-server', [join(prefix, 'redis.conf')], { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  recordGroup(child);
  const proc = new ServerProcess(`redis-server:${bind}:${port}`, child, logFile);
  await until(() => spawnSync('redis-cli', ['-h', bind, '-p', String(port), 'ping'], { env: { PATH: process.env.PATH, REDISCLI_AUTH: password }, encoding: 'utf8' }).stdout?.trim() === 'PONG', `redis-server on ${port}`, proc);
  return proc;
}

/** Where a Soketi process runs: a CPU to pin it to and, when the machine allows, a CFS quota. */
export interface CpuPlacement {
  readonly core: number;
  /** cgroup v1 cpu controller directory to create for the quota; undefined: pinned only. */
  readonly cgroupDir?: string;
  readonly millicores?: number;
}

/** Whether this machine lets us create a cpu cgroup with a CFS quota (cgroup v1 `cpu` controller, root). */
export function cpuCgroupRoot(): string | undefined {
  const root = '/sys/fs/cgroup/cpu';
  if (!existsSync(join(root, 'cpu.cfs_quota_us'))) return undefined;
  const probe = join(root, `soketi-probe-${process.pid}`);
  try { mkdirSync(probe); rmdirSync(probe); return root; } catch { return undefined; }
}

export interface SoketiOptions {
  readonly environment: string;
  readonly dir: string;
  readonly port: number;
  readonly metricsPort: number;
  readonly redisPort: number;
  readonly redisPassword: string;
  readonly app: PusherApp;
  readonly cpu?: CpuPlacement;
  /** Extra env on top of the manifest's (the bench never sets any; a test may). */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

/** The env Soketi gets: the manifest's, listen ports / Redis address / secrets replaced. */
export function soketiEnv(options: SoketiOptions): Record<string, string> {
  const { env, secretEnv } = soketiManifest(options.environment);
  const secrets: Record<string, string> = {
    SOKETI_DEFAULT_APP_KEY: options.app.key,
    SOKETI_DEFAULT_APP_SECRET: options.app.secret,
    SOKETI_DB_REDIS_PASSWORD: options.redisPassword,
  };
  const unknown = secretEnv.filter((name) => !(name in secrets));
  if (unknown.length) throw new Error(`environments/${options.environment}/apps/base/soketi.yaml: secret env ${unknown.join(', ')} has no test value`);
  if (env.SOKETI_DEFAULT_APP_ID !== options.app.id) throw new Error(`app id ${options.app.id} is not the manifest's SOKETI_DEFAULT_APP_ID ${env.SOKETI_DEFAULT_APP_ID}`);
  return {
    ...env,
    ...secrets,
    SOKETI_PORT: String(options.port),
    SOKETI_METRICS_SERVER_PORT: String(options.metricsPort),
    SOKETI_DB_REDIS_HOST: '127.0.0.1',
    SOKETI_DB_REDIS_PORT: String(options.redisPort),
    ...options.extraEnv,
  };
}

/**
 * The command line that runs `argv` where `cpu` says: pinned to its core and, with a cgroup,
 * under a CFS quota (period 100 ms, quota = the pod's CPU in ms per period, what the kubelet
 * writes); `cleanup` removes the cgroup once the process is gone.
 */
export function placedCommand(argv: readonly string[], cpu?: CpuPlacement): { command: string[]; cleanup: () => void } {
  if (!cpu) return { command: [...argv], cleanup: () => {} };
  const pin = ['taskset', '-c', String(cpu.core)];
  if (!cpu.cgroupDir || !cpu.millicores) return { command: [...pin, ...argv], cleanup: () => {} };
  const dir = cpu.cgroupDir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cpu.cfs_period_us'), '100000');
  writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(cpu.millicores * 100));
  return {
    command: ['/bin/sh', '-c', `echo $$ > ${dir}/cgroup.procs && exec "$@"`, 'placed', ...pin, ...argv],
    cleanup: () => { try { rmdirSync(dir); } catch { /* still busy or gone */ } },
  };
}

/** Starts Soketi and waits until it serves websockets and metrics. */
export async function startSoketi(options: SoketiOptions): Promise<ServerProcess> {
  const server = join(SOKETI_PACKAGE_DIR, 'bin/server.js');
  if (!existsSync(server)) throw new Error(`${server} missing: run bash .ci/install.d/45-exporters.sh`);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.dir, ...soketiEnv(options) };
  const { command, cleanup } = placedCommand([process.execPath, server, 'start'], options.cpu);
  const name = `soketi-${options.port}`;
  const fd = log(options.dir, name);
  const child = spawn(command[0]!, command.slice(1), { env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  recordGroup(child);
  const proc = new ServerProcess(name, child, join(options.dir, `${name}.log`), cleanup);
  await until(async () => (await httpGet(options.port, '/')).status === 200, `Soketi on ${options.port}`, proc);
  await until(async () => (await httpGet(options.metricsPort, '/metrics')).status === 200, `Soketi metrics on ${options.metricsPort}`, proc);
  return proc;
}

/** One sample of a metric summed over its series (Prometheus text exposition). */
export function metricValue(exposition: string, name: string): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    const m = line.match(/^([A-Za-z_:][A-Za-z0-9_:]*)(\{[^}]*\})?\s+(\S+)/);
    if (m && m[1] === name) sum += Number(m[3]);
  }
  return sum;
}
