/**
 * Runs each exporter the manifests deploy against a real server on loopback, configured from the
 * manifest's own env and args (only addresses, ports and secrets changed), and scrapes /metrics.
 * Servers: Debian's redis-server, nginx + php-fpm with the rendered files (tests/integration/web),
 * a MariaDB primary and a replica (replica metrics only exist on a replica), Soketi 1.6.1 from npm.
 * Every process runs in its own group; the suite's exit trap kills the recorded groups.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, mkdirSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../../../apps/config/index.js';
import { RENDERED_PORTS, startNginx, startPhpFpm, waitFor, writeRenderedSetup, type ServerProcess } from '../web/servers.js';
import { httpGet as get } from '../support/loopback-http.js';
import { SOKETI_PACKAGE_DIR as SOKETI_DIR } from '../soketi/pusher-protocol.js';

const PLATFORM_BIN = join(process.env.PLATFORM_CACHE ?? join(process.env.HOME ?? '/root', '.cache/marketplace-platform'), 'bin');

/** Loopback ports of this test (none is used by another suite). */
export const TEST_PORTS = {
  redis: 16391, redisExporter: 19121, fpmExporter: 19253, nginxExporter: 19113,
  mariadbPrimary: 13311, mariadbReplica: 13312, mysqldExporter: 19104, nodeExporter: 19100,
  soketi: 16001, soketiMetrics: 19601,
} as const;

class Proc {
  readonly child: ChildProcess;
  constructor(readonly name: string, command: string, args: readonly string[], readonly log: string, env: Record<string, string> = {}) {
    const fd = openSync(log, 'a');
    this.child = spawn(command, args, { env: { PATH: `${PLATFORM_BIN}:/usr/sbin:/usr/bin:/bin`, HOME: tmpdir(), ...env }, stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    if (process.env.METRICS_PGID_FILE && this.child.pid) appendFileSync(process.env.METRICS_PGID_FILE, `${this.child.pid}\n`);
  }
  output(): string {
    try { return readFileSync(this.log, 'utf8').slice(-3000); } catch { return ''; }
  }
  /** SIGKILL to the group; resolves once the main process is gone (its port is free), 5 s at most. */
  kill(): Promise<void> {
    const gone = this.child.exitCode !== null || this.child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => { const t = setTimeout(resolve, 5000); this.child.once('exit', () => { clearTimeout(t); resolve(); }); });
    try { if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL'); } catch { /* gone */ }
    return gone;
  }
}

/** Series names of a Prometheus text exposition (sample lines, not HELP/TYPE). */
export function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = line.match(/^([A-Za-z_:][A-Za-z0-9_:]*)(\{|\s)/);
    if (m) names.add(m[1]!);
  }
  return names;
}

/** Scrapes until `ready` holds for the exposition (bounded: 40 tries, 250 ms apart). */
async function scrape(proc: Proc, port: number, path: string, ready: (names: Set<string>) => boolean = (n) => n.size > 0): Promise<Set<string>> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    try {
      const res = await get(port, path);
      if (res.status === 200) {
        const names = exposedNames(res.body);
        if (ready(names)) return names;
        last = `${names.size} series names, not ready yet`;
      } else last = `status ${res.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${proc.name} on 127.0.0.1:${port}${path}: ${last}\n--- log\n${proc.output()}`);
}

function run(command: string, args: string[], input?: string): string {
  const r = spawnSync(command, args, { input, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Container env with the listen and target addresses moved to the test's loopback ports. */
function withEnv(env: Readonly<Record<string, string>>, overrides: Record<string, string>): Record<string, string> {
  return { ...env, ...overrides };
}

function replacePort(value: string, port: number): string {
  return value.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`);
}

export class ExporterLab {
  readonly dir = mkdtempSync(join(tmpdir(), 'metric-coverage-'));
  private readonly procs: Proc[] = [];
  private web?: { nginx: ServerProcess; fpm: ServerProcess };
  private mariadb = false;
  private redis = false;

  private start(name: string, command: string, args: readonly string[], env?: Record<string, string>): Proc {
    const p = new Proc(name, command, args, join(this.dir, `${name}.log`), env);
    this.procs.push(p);
    return p;
  }

  /** Debian's redis-server, with the keys the exporter's check-single-keys names (as Laravel makes them). */
  private async ensureRedis(): Promise<void> {
    if (this.redis) return;
    mkdirSync(join(this.dir, 'redis'), { recursive: true });
    this.start('redis-server', '/usr/bin/redis-server', ['--port', String(TEST_PORTS.redis), '--bind', '127.0.0.1', '--save', '', '--dir', join(this.dir, 'redis')]);
    for (let i = 0; i < 40; i++) {
      if (spawnSync('redis-cli', ['-p', String(TEST_PORTS.redis), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') { this.redis = true; return; }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('redis-server did not start');
  }

  /** Keys like Laravel's queue driver writes them: a LIST per ready queue, a ZSET for delayed/reserved. */
  private seedKeys(checkSingleKeys: string): void {
    for (const entry of checkSingleKeys.split(',').filter(Boolean)) {
      const key = entry.replace(/^db\d+=/, '');
      const args = /:(delayed|reserved)$/.test(key) ? ['ZADD', key, '1', '{"job":"x"}'] : ['RPUSH', key, '{"job":"x"}'];
      run('redis-cli', ['-p', String(TEST_PORTS.redis), ...args]);
    }
  }

  async redisExporter(env: Readonly<Record<string, string>>): Promise<Set<string>> {
    await this.ensureRedis();
    this.seedKeys(env.REDIS_EXPORTER_CHECK_SINGLE_KEYS ?? '');
    const p = this.start('redis_exporter', join(PLATFORM_BIN, 'redis_exporter'), [], withEnv(env, {
      REDIS_ADDR: `redis://127.0.0.1:${TEST_PORTS.redis}`,
      REDIS_EXPORTER_WEB_LISTEN_ADDRESS: `127.0.0.1:${TEST_PORTS.redisExporter}`,
    }));
    try {
      return await scrape(p, TEST_PORTS.redisExporter, '/metrics', (n) => n.has('redis_up'));
    } finally { await p.kill(); }
  }

  private async ensureWeb(config: EnvironmentConfig): Promise<void> {
    if (this.web) return;
    const setup = writeRenderedSetup(config, mkdtempSync(join(tmpdir(), 'metric-coverage-web-')));
    const fpm = startPhpFpm(setup);
    const nginx = startNginx(setup);
    this.web = { nginx, fpm };
    await waitFor(RENDERED_PORTS.nginxStatus, '/healthz');
    await waitFor(RENDERED_PORTS.http, '/');
  }

  async phpFpmExporter(config: EnvironmentConfig, env: Readonly<Record<string, string>>, args: readonly string[]): Promise<Set<string>> {
    await this.ensureWeb(config);
    const p = this.start('php-fpm_exporter', join(PLATFORM_BIN, 'php-fpm_exporter'), args.length ? args : ['server'], withEnv(env, {
      PHP_FPM_SCRAPE_URI: replacePort(env.PHP_FPM_SCRAPE_URI ?? '', RENDERED_PORTS.fpmStatus),
      PHP_FPM_WEB_LISTEN_ADDRESS: `127.0.0.1:${TEST_PORTS.fpmExporter}`,
    }));
    try {
      return await scrape(p, TEST_PORTS.fpmExporter, '/metrics', (n) => n.has('phpfpm_up') && n.has('phpfpm_total_processes'));
    } finally { await p.kill(); }
  }

  async nginxExporter(config: EnvironmentConfig, env: Readonly<Record<string, string>>, args: readonly string[]): Promise<Set<string>> {
    await this.ensureWeb(config);
    const moved = args.map((a) => a.startsWith('--nginx.scrape-uri=') ? replacePort(a, RENDERED_PORTS.nginxStatus)
      : a.startsWith('--web.listen-address=') ? `--web.listen-address=127.0.0.1:${TEST_PORTS.nginxExporter}` : a);
    const p = this.start('nginx-prometheus-exporter', join(PLATFORM_BIN, 'nginx-prometheus-exporter'), moved, { ...env });
    try {
      return await scrape(p, TEST_PORTS.nginxExporter, '/metrics', (n) => n.has('nginx_up') && n.has('nginx_connections_active'));
    } finally { await p.kill(); }
  }

  /** A primary and a replica replicating from it (GTID), each with its own datadir. */
  private async ensureMariadb(): Promise<void> {
    if (this.mariadb) return;
    const server = async (name: string, port: number, serverId: number) => {
      const data = join(this.dir, name);
      mkdirSync(data, { recursive: true });
      run('mariadb-install-db', ['--no-defaults', '--user=root', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
      this.start(name, '/usr/sbin/mariadbd', [
        '--no-defaults', '--user=root', `--datadir=${data}`, `--socket=${data}/mysqld.sock`, `--pid-file=${data}/mysqld.pid`,
        '--bind-address=127.0.0.1', `--port=${port}`, '--skip-name-resolve', `--server-id=${serverId}`, `--log-bin=${data}/binlog`,
        '--innodb-buffer-pool-size=64M', `--log-error=${data}/error.log`,
      ]);
      for (let i = 0; i < 60; i++) {
        if (spawnSync('mariadb-admin', ['--no-defaults', `--socket=${data}/mysqld.sock`, '-uroot', 'ping']).status === 0) return `${data}/mysqld.sock`;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`${name} did not start: ${readFileSync(`${data}/error.log`, 'utf8').slice(-2000)}`);
    };
    const [primary, replica] = await Promise.all([
      server('mariadb-primary', TEST_PORTS.mariadbPrimary, 1), server('mariadb-replica', TEST_PORTS.mariadbReplica, 2),
    ]);
    const sql = (socket: string, text: string) => run('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '-N', '-e', text]);
    sql(primary, "CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'repl-test'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';");
    sql(replica, `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${TEST_PORTS.mariadbPrimary}, MASTER_USER='repl', MASTER_PASSWORD='repl-test', MASTER_USE_GTID=slave_pos; START SLAVE;`);
    // The exporter's user gets only what its collectors need (no SELECT on data).
    sql(replica, "CREATE USER 'exporter'@'127.0.0.1' IDENTIFIED BY 'exporter-test' WITH MAX_USER_CONNECTIONS 3; GRANT PROCESS, REPLICATION CLIENT, SLAVE MONITOR ON *.* TO 'exporter'@'127.0.0.1';");
    let status = '';
    for (let i = 0; i < 40; i++) {
      status = run('mariadb', ['--no-defaults', `--socket=${replica}`, '-uroot', '-e', 'SHOW SLAVE STATUS\\G']);
      if (/Slave_IO_Running: Yes/.test(status) && /Slave_SQL_Running: Yes/.test(status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (!/Slave_IO_Running: Yes/.test(status)) throw new Error(`the test replica does not replicate:\n${status}`);
    this.mariadb = true;
  }

  async mysqldExporter(args: readonly string[]): Promise<Set<string>> {
    await this.ensureMariadb();
    const cnf = join(this.dir, 'exporter.cnf');
    writeFileSync(cnf, `[client]\nuser=exporter\npassword=exporter-test\nhost=127.0.0.1\nport=${TEST_PORTS.mariadbReplica}\n`, { mode: 0o600 });
    const p = this.start('mysqld_exporter', join(PLATFORM_BIN, 'mysqld_exporter'), [
      ...args, `--config.my-cnf=${cnf}`, `--web.listen-address=127.0.0.1:${TEST_PORTS.mysqldExporter}`,
    ]);
    try {
      return await scrape(p, TEST_PORTS.mysqldExporter, '/metrics', (n) => n.has('mysql_up') && n.has('mysql_slave_status_seconds_behind_master'));
    } finally { await p.kill(); }
  }

  async nodeExporter(args: readonly string[]): Promise<Set<string>> {
    const p = this.start('node_exporter', join(PLATFORM_BIN, 'node_exporter'), [...args, `--web.listen-address=127.0.0.1:${TEST_PORTS.nodeExporter}`]);
    try {
      return await scrape(p, TEST_PORTS.nodeExporter, '/metrics', (n) => n.has('node_cpu_seconds_total'));
    } finally { await p.kill(); }
  }

  /**
   * Soketi with the manifest's env (Redis adapter and limiter on the test Redis), one websocket
   * client that subscribes and whispers, and one HTTP API call, so the per-message series exist.
   */
  async soketi(env: Readonly<Record<string, string>>): Promise<{ names: Set<string>; acceptTraffic: { totalSize: number } }> {
    await this.ensureRedis();
    const key = 'metric-coverage-key';
    const p = this.start('soketi', process.execPath, [join(SOKETI_DIR, 'bin/server.js'), 'start'], withEnv(env, {
      SOKETI_PORT: String(TEST_PORTS.soketi),
      SOKETI_METRICS_SERVER_PORT: String(TEST_PORTS.soketiMetrics),
      SOKETI_DB_REDIS_HOST: '127.0.0.1',
      SOKETI_DB_REDIS_PORT: String(TEST_PORTS.redis),
      SOKETI_DEFAULT_APP_KEY: key,
      SOKETI_DEFAULT_APP_SECRET: 'metric-coverage-secret',
    }));
    try {
      for (let i = 0; i < 40; i++) {
        try { if ((await get(TEST_PORTS.soketi, '/')).status === 200) break; } catch { /* starting */ }
        await new Promise((r) => setTimeout(r, 250));
      }
      const { default: WebSocket } = await import(join(SOKETI_DIR, '../../ws/index.js'));
      const ws = new WebSocket(`ws://127.0.0.1:${TEST_PORTS.soketi}/app/${key}?protocol=7&client=js&version=8.4.0`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`soketi websocket did not connect\n${p.output()}`)), 10_000);
        ws.on('message', (data: Buffer) => {
          const msg = JSON.parse(data.toString());
          if (msg.event === 'pusher:connection_established') ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: 'public-test' } }));
          if (msg.event === 'pusher_internal:subscription_succeeded') { clearTimeout(timer); resolve(); }
        });
        ws.on('error', reject);
      });
      ws.send(JSON.stringify({ event: 'pusher:ping', data: {} }));
      // A backend event as Laravel sends it (the Pusher server SDK Soketi ships, signed).
      const { default: Pusher } = await import(join(SOKETI_DIR, '../../pusher/lib/pusher.js'));
      const backend = new Pusher({ appId: env.SOKETI_DEFAULT_APP_ID, key, secret: 'metric-coverage-secret', host: '127.0.0.1', port: String(TEST_PORTS.soketi), useTLS: false });
      const triggered = await backend.trigger('public-test', 'listing-updated', { id: 1 });
      if (triggered.status !== 200) throw new Error(`soketi refused the backend event: ${triggered.status}`);
      const accept = JSON.parse((await get(TEST_PORTS.soketi, '/accept-traffic')).body) as { memory: { totalSize: number } };
      const names = await scrape(p, TEST_PORTS.soketiMetrics, '/metrics', (n) => n.has('soketi_connected') && n.has('soketi_ws_messages_received_total') && n.has('soketi_http_calls_received_total'));
      ws.close();
      return { names, acceptTraffic: accept.memory };
    } finally { await p.kill(); }
  }

  async close(): Promise<void> {
    for (const p of this.procs.reverse()) await p.kill();
    if (this.web) { await this.web.nginx.stop('SIGKILL'); await this.web.fpm.stop('SIGKILL'); }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
