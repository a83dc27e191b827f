/**
 * The rehearsal's processes: Redis with the generated redis.conf, nginx + php-fpm with the
 * rendered web files, Soketi with its Deployment's env, and the Laravel pods (init container,
 * then the main container's command line) as `nobody`, as in the pods (runAsNonRoot).
 * Every process gets its own process group, killed on exit; all listen on 127.0.0.0/8 only.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, fchownSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT, type EnvironmentConfig } from '../../apps/config/index.js';
import type { RedisInstance } from '../../charts/lib/redis-instances.js';
import { REDIS_AUTH_DIR, REDIS_DATA_DIR, renderRedisConf } from '../../charts/redis/redis-conf.js';
import { renderNginxConf, renderPhpFpmPool, renderPhpIni, WEB_CONFIG_MOUNTS, type ListenPorts } from '../../charts/web/configs.js';
import { applyContractLines, mapPaths, skeletonDir } from '../integration/laravel/laravel-app.js';
import { readContract } from '../integration/laravel/contract.js';
import { phpFpmBinary } from '../integration/web/servers.js';
import { SOKETI_PACKAGE_DIR } from '../integration/soketi/pusher-protocol.js';
import { prepareSockudo, SOCKUDO_BINARY } from '../integration/soketi/sockudo-servers.js';

const NOBODY = { uid: 65534, gid: 65534 };
/** Where the images have the app (its WORKDIR; VIEW_COMPILED_PATH lives under it). */
export const POD_APP_ROOT = '/var/www/html';
const PROBE_APP = join(REPO_ROOT, 'tests', 'rehearsal', 'app');

export class Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private static readonly running = new Set<Proc>();

  constructor(readonly name: string, readonly logFile: string, argv: readonly string[], options: { env: Record<string, string>; cwd?: string; asNobody?: boolean }) {
    const log = openSync(logFile, 'a');
    // Servers reopen /dev/stdout and /proc/self/fd/2: the runtime hands stdio to the container user.
    if (options.asNobody !== false) fchownSync(log, NOBODY.uid, NOBODY.gid);
    this.child = spawn(argv[0]!, argv.slice(1), {
      ...(options.asNobody === false ? {} : NOBODY),
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', ...options.env },
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    Proc.running.add(this);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => {
      Proc.running.delete(this);
      resolve({ code, signal });
    }));
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  killGroup(): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** What the kubelet does: SIGTERM to PID 1, SIGKILL to everything after the grace period. */
  async terminate(graceSeconds: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
    if (!this.alive) return { ...(await this.exited), killed: false };
    this.child.kill('SIGTERM');
    let killed = false;
    const timer = setTimeout(() => { killed = true; this.killGroup(); }, graceSeconds * 1000);
    const result = await this.exited;
    clearTimeout(timer);
    this.killGroup();
    return { ...result, killed };
  }

  static killAll(): void {
    for (const p of Proc.running) p.killGroup();
  }
}
process.once('exit', () => Proc.killAll());

function chownNobody(path: string): void {
  const r = spawnSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, path]);
  if (r.status !== 0) throw new Error(`chown ${path}: ${r.stderr}`);
}

/** A root for one rehearsal run: every server's files and the app live under it. */
export function makeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  mkdirSync(join(root, 'logs'));
  return root;
}

/**
 * The app at <root>/var/www/html: the real skeleton (copied whole: nobody cannot read the cache
 * under /root), the probe app laid over it, and the lines of docs/app-contract.md applied.
 */
export function prepareApp(root: string): string {
  const dir = join(root, POD_APP_ROOT);
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(skeletonDir(), dir, { recursive: true, verbatimSymlinks: true });
  cpSync(PROBE_APP, dir, { recursive: true });
  cpSync(join(REPO_ROOT, 'tests', 'integration', 'laravel', 'print-config.php'), join(dir, 'print-config.php'));
  applyContractLines(dir, readContract().lines);
  chownNobody(root);
  return dir;
}

export function startRedis(root: string, instance: RedisInstance, authInit: string[], address: string, port: number, password: string): Proc {
  const prefix = join(root, instance.name);
  mkdirSync(join(prefix, REDIS_AUTH_DIR), { recursive: true });
  mkdirSync(join(prefix, REDIS_DATA_DIR), { recursive: true });
  // The init container's own command writes auth.conf, its one path moved under the prefix.
  const [shell, flagArg, script] = authInit;
  execFileSync(shell!, [flagArg!, script!.replaceAll(REDIS_AUTH_DIR, join(prefix, REDIS_AUTH_DIR))], { env: { PATH: process.env.PATH, REDIS_PASSWORD: password } });
  const conf = join(prefix, 'redis.conf');
  writeFileSync(conf, renderRedisConf(instance, { prefix, port, bindAddress: address }));
  return new Proc(instance.name, join(root, 'logs', `${instance.name}.log`), ['redis-server', conf], { env: {}, asNobody: false });
}

export function redisCli(address: string, port: number, password: string, args: readonly string[]): string {
  return execFileSync('redis-cli', ['--no-auth-warning', '-h', address, '-p', String(port), ...args], {
    env: { PATH: process.env.PATH, REDISCLI_AUTH: password }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Every key of every database of a Redis, as `<db>/<key>`. */
export function redisKeys(address: string, port: number, password: string): string[] {
  const dbs = [...redisCli(address, port, password, ['info', 'keyspace']).matchAll(/^db(\d+):/gm)].map((m) => m[1]!);
  return dbs.flatMap((db) => redisCli(address, port, password, ['-n', db, '--scan']).split('\n').filter(Boolean).map((k) => `${db}/${k}`));
}

/** nginx + php-fpm with the web chart's files, rendered for the root and test ports. */
export function startWeb(root: string, config: EnvironmentConfig, ports: ListenPorts, phpFpmEnv: Record<string, string>, trustedProxyCidrs?: readonly string[]): { nginx: Proc; phpFpm: Proc } {
  const options = { prefix: root, listenAddress: '127.0.0.1', ports, ...(trustedProxyCidrs ? { trustedProxyCidrs } : {}) };
  const write = (path: string, text: string) => { mkdirSync(dirname(join(root, path)), { recursive: true }); writeFileSync(join(root, path), text); };
  write(WEB_CONFIG_MOUNTS.nginxConf, renderNginxConf(config, options));
  write(WEB_CONFIG_MOUNTS.phpFpmConf, renderPhpFpmPool(config, options));
  write(WEB_CONFIG_MOUNTS.phpIni, renderPhpIni(config, options));
  write('etc/nginx/mime.types', readFileSync('/etc/nginx/mime.types', 'utf8'));
  mkdirSync(join(root, 'tmp'), { recursive: true });
  chownNobody(join(root, 'etc'));
  chownNobody(join(root, 'usr'));
  chownNobody(join(root, 'tmp'));
  const phpFpm = new Proc('php-fpm', join(root, 'logs', 'php-fpm.log'), [phpFpmBinary(), '--nodaemonize', '--fpm-config', join(root, WEB_CONFIG_MOUNTS.phpFpmConf)], {
    env: { ...phpFpmEnv, PHP_INI_SCAN_DIR: `:${join(root, WEB_CONFIG_MOUNTS.phpIniDir)}` },
  });
  const nginx = new Proc('nginx', join(root, 'logs', 'nginx.log'), ['/usr/sbin/nginx', '-c', join(root, WEB_CONFIG_MOUNTS.nginxConf), '-g', 'daemon off;'], { env: {} });
  return { nginx, phpFpm };
}

const SOKETI = join(SOKETI_PACKAGE_DIR, 'bin/server.js');

/**
 * `soketi start` with the Deployment's env, bound to one loopback address (one per "pod"). As
 * root, unlike the pod: the cached install sits under /root, which nobody cannot enter.
 */
export function startSoketi(root: string, name: string, env: Record<string, string>, address: string): Proc {
  const bound = { ...env, SOKETI_HOST: address, SOKETI_METRICS_HOST: address };
  // REHEARSAL_REALTIME_SERVER=sockudo: the same Deployment env translated for Sockudo (decision 0007).
  if (process.env.REHEARSAL_REALTIME_SERVER === 'sockudo') {
    if (!existsSync(SOCKUDO_BINARY)) throw new Error(`${SOCKUDO_BINARY} missing: run bash tests/bench/install-sockudo.sh`);
    const sockudo = prepareSockudo(join(root, name), bound);
    return new Proc(name, join(root, 'logs', `${name}.log`), [SOCKUDO_BINARY], { env: sockudo.env, cwd: sockudo.cwd, asNobody: false });
  }
  if (!existsSync(SOKETI)) throw new Error(`${SOKETI} missing: run .ci/install.d/46-soketi.sh`);
  return new Proc(name, join(root, 'logs', `${name}.log`), [process.execPath, SOKETI, 'start'], { env: bound, asNobody: false });
}

/**
 * One Laravel pod: fresh directories for its mounts outside the app (emptyDirs), its env with
 * the pod paths mapped, the init container's command run to completion, then the main command.
 */
export class LaravelPod {
  readonly env: Record<string, string>;
  private readonly dir: string;
  constructor(readonly root: string, readonly name: string, podEnv: Record<string, string>, mountPaths: readonly string[]) {
    this.dir = mkdtempSync(join(root, `pod-${name}-`));
    const paths = new Map<string, string>([[POD_APP_ROOT, join(root, POD_APP_ROOT)]]);
    mountPaths.filter((p) => !p.startsWith(`${POD_APP_ROOT}/`) && p !== '/tmp' && !p.startsWith('/etc/')).forEach((p, i) => {
      mkdirSync(join(this.dir, String(i)));
      paths.set(p, join(this.dir, String(i)));
    });
    chownNobody(this.dir);
    this.env = mapPaths(podEnv, paths);
  }

  /** Runs a command to completion in the app as the pod would; returns its output. */
  run(argv: readonly string[], env: Record<string, string> = this.env): { status: number | null; output: string } {
    const r = spawnSync(argv[0]!, argv.slice(1), {
      ...NOBODY, cwd: join(this.root, POD_APP_ROOT), env: { PATH: process.env.PATH, HOME: '/tmp', ...env }, encoding: 'utf8', timeout: 120_000,
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  }

  start(argv: readonly string[], env: Record<string, string> = this.env): Proc {
    return new Proc(this.name, join(this.root, 'logs', `${this.name}.log`), argv, { env, cwd: join(this.root, POD_APP_ROOT) });
  }
}
