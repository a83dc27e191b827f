/**
 * Harness for the web pod's real-server test and benchmark: writes a server setup into a temp
 * directory and runs Debian's nginx and php-fpm on it as the unprivileged user `nobody`, as in
 * the pod (runAsNonRoot). Two setups:
 *   - rendered: exactly the files the web chart puts in its ConfigMap, rendered with a path
 *     prefix, loopback listeners and test ports (RenderOptions) and nothing else changed;
 *   - stock: Debian's own nginx.conf, default site, php-fpm.conf and www.conf, with only paths,
 *     the port and root-only directives changed so it runs unprivileged (the baseline).
 * Only 127.0.0.1 is ever bound or contacted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, closeSync, fchownSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvironmentConfig } from '../../../apps/config/index.js';
import {
  renderNginxConf, renderPhpFpmPool, renderPhpIni, WEB_CONFIG_MOUNTS, type ListenPorts, type RenderOptions,
} from '../../../charts/web/configs.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The test application (a front controller standing in for Laravel's public/). */
export const FIXTURE_PUBLIC = join(HERE, 'public');
const NOBODY = { uid: 65534, gid: 65534 };

/** Where the pod has the files; the test uses the same paths under its prefix. */
const POD_FILE_PATHS = WEB_CONFIG_MOUNTS;

/** Test ports: 18080 is the web test's app port in docs/contributing.md. */
export const RENDERED_PORTS: ListenPorts = { http: 18080, nginxStatus: 18082, fastcgi: 19000, fpmStatus: 19001 };
/** Port of the stock baseline (docs/contributing.md). */
export const STOCK_HTTP_PORT = 18081;

export interface ServerSetup {
  readonly name: string;
  readonly dir: string;
  readonly nginxArgs: string[];
  readonly phpFpmArgs: string[];
  readonly phpFpmEnv: Record<string, string>;
  readonly httpPort: number;
}

export function phpFpmBinary(): string {
  const found = readdirSync('/usr/sbin').filter((f) => /^php-fpm\d+\.\d+$/.test(f)).sort();
  if (found.length === 0) throw new Error('php-fpm not found in /usr/sbin: run .ci/install.d/80-web-servers.sh');
  return join('/usr/sbin', found[found.length - 1]);
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Hands the whole tree to `nobody`, the user the servers run as. */
function chownTree(dir: string): void {
  const result = spawnSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, dir]);
  if (result.status !== 0) throw new Error(`chown ${dir}: ${result.stderr}`);
  chownSync(dir, NOBODY.uid, NOBODY.gid);
}

function copyApp(dir: string): void {
  cpSync(FIXTURE_PUBLIC, join(dir, 'var/www/html/public'), { recursive: true });
}

/** The files of the pod, rendered for a prefix; `edit` lets a negative test break one line. */
export function writeRenderedSetup(
  config: EnvironmentConfig,
  dir: string,
  edit: (file: 'nginx.conf' | 'php-fpm.conf' | 'php.ini', text: string) => string = (_f, t) => t,
  extraOptions: Pick<RenderOptions, 'trustedProxyCidrs'> = {},
): ServerSetup {
  const options: RenderOptions = { prefix: dir, listenAddress: '127.0.0.1', ports: RENDERED_PORTS, ...extraOptions };
  write(join(dir, POD_FILE_PATHS.nginxConf), edit('nginx.conf', renderNginxConf(config, options)));
  write(join(dir, POD_FILE_PATHS.phpFpmConf), edit('php-fpm.conf', renderPhpFpmPool(config, options)));
  write(join(dir, POD_FILE_PATHS.phpIni), edit('php.ini', renderPhpIni(config, options)));
  // The one file the rendered nginx.conf includes, from the nginx package (the image has it too).
  write(join(dir, 'etc/nginx/mime.types'), readFileSync('/etc/nginx/mime.types', 'utf8'));
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  copyApp(dir);
  chownTree(dir);
  return {
    name: 'rendered',
    dir,
    // The same arguments as the web chart's containers, with the prefixed paths.
    nginxArgs: ['-c', join(dir, POD_FILE_PATHS.nginxConf), '-g', 'daemon off;'],
    phpFpmArgs: ['--nodaemonize', '--fpm-config', join(dir, POD_FILE_PATHS.phpFpmConf)],
    phpFpmEnv: { PHP_INI_SCAN_DIR: `:${join(dir, POD_FILE_PATHS.phpIniDir)}`, WEB_TEST_POD_ENV: 'from-the-pod' },
    httpPort: RENDERED_PORTS.http,
  };
}

/** Replaces one exact line or fragment; throws when it is missing, so a Debian update is loud. */
function replaceOnce(file: string, text: string, from: string | RegExp, to: string): string {
  const matches = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from.source, `${from.flags}g`)) ?? []).length;
  if (matches !== 1) throw new Error(`stock setup: expected one "${from}" in ${file}, found ${matches}`);
  return text.replace(from, to);
}

/** Debian's stock configuration, changed only where an unprivileged run on a test port needs it. */
export function writeStockSetup(dir: string): ServerSetup {
  const fpm = phpFpmBinary();
  const phpVersion = fpm.replace(/.*php-fpm/, '');
  cpSync('/etc/nginx', join(dir, 'etc/nginx'), { recursive: true, dereference: true });
  mkdirSync(join(dir, 'run'), { recursive: true });
  mkdirSync(join(dir, 'log'), { recursive: true });
  mkdirSync(join(dir, 'tmp'), { recursive: true });

  const nginxConfPath = join(dir, 'etc/nginx/nginx.conf');
  let nginxConf = readFileSync('/etc/nginx/nginx.conf', 'utf8');
  nginxConf = replaceOnce('nginx.conf', nginxConf, /^user www-data;$/m, '# user: not root');
  nginxConf = replaceOnce('nginx.conf', nginxConf, /^pid \/run\/nginx.pid;$/m, `pid ${dir}/run/nginx.pid;`);
  nginxConf = replaceOnce('nginx.conf', nginxConf, /error_log \/var\/log\/nginx\/error.log;/, `error_log ${dir}/log/nginx-error.log;`);
  nginxConf = replaceOnce('nginx.conf', nginxConf, /access_log \/var\/log\/nginx\/access.log;/, `access_log ${dir}/log/nginx-access.log;`);
  nginxConf = replaceOnce('nginx.conf', nginxConf, /include \/etc\/nginx\/sites-enabled\/\*;/, `include ${dir}/etc/nginx/sites-available/default;`);
  nginxConf = replaceOnce('nginx.conf', nginxConf, /include \/etc\/nginx\/conf.d\/\*.conf;/,
    ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/tmp/${t};`).join('\n\t'));
  write(nginxConfPath, nginxConf);

  let site = readFileSync('/etc/nginx/sites-available/default', 'utf8');
  site = replaceOnce('default', site, /listen 80 default_server;/, `listen 127.0.0.1:${STOCK_HTTP_PORT} default_server;`);
  site = replaceOnce('default', site, /listen \[::\]:80 default_server;/, '');
  site = replaceOnce('default', site, /root \/var\/www\/html;/, `root ${dir}/var/www/html/public;`);
  site = replaceOnce('default', site, /^\tindex index.html/m, '\tindex index.php index.html');
  // Debian's own commented PHP block, enabled as its comment suggests (php-fpm over a socket).
  site = replaceOnce('default', site, /#location ~ \\\.php\$ \{\n\t#\tinclude snippets\/fastcgi-php.conf;/,
    'location ~ \\.php$ {\n\t\tinclude snippets/fastcgi-php.conf;');
  site = replaceOnce('default', site, /#\tfastcgi_pass unix:\/run\/php\/php[\d.]+-fpm.sock;/, `\tfastcgi_pass unix:${dir}/run/php-fpm.sock;`);
  site = replaceOnce('default', site, /#\tfastcgi_pass 127.0.0.1:9000;\n\t#\}/, '}');
  write(join(dir, 'etc/nginx/sites-available/default'), site);

  const fpmDir = `/etc/php/${phpVersion}/fpm`;
  let fpmConf = readFileSync(`${fpmDir}/php-fpm.conf`, 'utf8');
  fpmConf = replaceOnce('php-fpm.conf', fpmConf, /^pid = .*$/m, `pid = ${dir}/run/php-fpm.pid`);
  fpmConf = replaceOnce('php-fpm.conf', fpmConf, /^error_log = .*$/m, `error_log = ${dir}/log/php-fpm.log`);
  fpmConf = replaceOnce('php-fpm.conf', fpmConf, /^include=.*$/m, `include=${dir}/etc/php/pool.d/*.conf`);
  write(join(dir, 'etc/php/php-fpm.conf'), fpmConf);
  let pool = readFileSync(`${fpmDir}/pool.d/www.conf`, 'utf8');
  pool = replaceOnce('www.conf', pool, /^user = www-data$/m, '; user: not root');
  pool = replaceOnce('www.conf', pool, /^group = www-data$/m, '; group: not root');
  pool = replaceOnce('www.conf', pool, /^listen = .*$/m, `listen = ${dir}/run/php-fpm.sock`);
  pool = replaceOnce('www.conf', pool, /^listen.owner = www-data$/m, '; listen.owner: not root');
  pool = replaceOnce('www.conf', pool, /^listen.group = www-data$/m, '; listen.group: not root');
  write(join(dir, 'etc/php/pool.d/www.conf'), pool);

  copyApp(dir);
  chownTree(dir);
  return {
    name: 'stock',
    dir,
    nginxArgs: ['-c', nginxConfPath, '-g', 'daemon off;'],
    phpFpmArgs: ['--nodaemonize', '--fpm-config', join(dir, 'etc/php/php-fpm.conf')],
    phpFpmEnv: {},
    httpPort: STOCK_HTTP_PORT,
  };
}

/** A server process run as `nobody`; stdout and stderr go to a log file in the setup dir. */
export class ServerProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
  private static readonly running = new Set<ServerProcess>();

  constructor(name: string, binary: string, args: string[], setup: ServerSetup, options: { cpus?: string; env?: Record<string, string> } = {}) {
    this.logFile = join(setup.dir, `${name}.log`);
    const log = openSync(this.logFile, 'a');
    // The files log to /dev/stdout and /proc/self/fd/2, which reopen the descriptor's target:
    // container runtimes hand stdio to the container user (runc's fixStdioPermissions), so do we.
    fchownSync(log, NOBODY.uid, NOBODY.gid);
    const [command, argv] = options.cpus ? ['taskset', ['-c', options.cpus, binary, ...args]] : [binary, args];
    this.child = spawn(command, argv, {
      ...NOBODY,
      env: { PATH: '/usr/sbin:/usr/bin:/bin', ...options.env },
      stdio: ['ignore', log, log],
      // Own process group: killing the group also ends workers a killed master leaves behind.
      detached: true,
    });
    closeSync(log);
    // The suite's exit trap kills these groups if this process dies before cleaning up.
    if (process.env.WEB_SERVERS_PGID_FILE && this.child.pid) appendFileSync(process.env.WEB_SERVERS_PGID_FILE, `${this.child.pid}\n`);
    ServerProcess.running.add(this);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => {
      ServerProcess.running.delete(this);
      resolve(signal ? null : code);
    }));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.logFile}: process did not start`);
    return this.child.pid;
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /** Signals the main process (nginx or php-fpm master) only. */
  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** SIGKILL to the whole process group (master and any worker left behind). */
  killGroup(): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // the group is already gone
    }
  }

  /** Graceful stop of the master, SIGKILL after `graceMs`; then no worker survives it. */
  async stop(signal: NodeJS.Signals = 'SIGQUIT', graceMs = 10_000): Promise<void> {
    if (signal === 'SIGKILL') this.killGroup();
    else this.signal(signal);
    const timer = setTimeout(() => this.killGroup(), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.killGroup();
  }

  /** Last resort on exit of the test process (a failed assertion, Ctrl-C). */
  static killAll(): void {
    for (const p of ServerProcess.running) p.killGroup();
  }
}
process.once('exit', () => ServerProcess.killAll());

export function startPhpFpm(setup: ServerSetup, cpus?: string): ServerProcess {
  return new ServerProcess('php-fpm', phpFpmBinary(), setup.phpFpmArgs, setup, { cpus, env: setup.phpFpmEnv });
}

export function startNginx(setup: ServerSetup, cpus?: string): ServerProcess {
  return new ServerProcess('nginx', '/usr/sbin/nginx', setup.nginxArgs, setup, { cpus });
}

/**
 * Runs a server binary's config test (`nginx -t`, `php-fpm -t`) as `nobody` with its output in a
 * file owned by `nobody` (the files reopen /dev/stdout, as in ServerProcess).
 */
export function configTest(setup: ServerSetup, binary: string, args: string[], env: Record<string, string> = {}): { ok: boolean; output: string } {
  const logFile = join(setup.dir, `config-test-${binary.replace(/.*\//, '')}.log`);
  const log = openSync(logFile, 'w');
  fchownSync(log, NOBODY.uid, NOBODY.gid);
  const result = spawnSync(binary, [...args.filter((a) => a !== '--nodaemonize'), '-t'], {
    ...NOBODY, env: { PATH: '/usr/sbin:/usr/bin:/bin', ...env }, stdio: ['ignore', log, log],
  });
  closeSync(log);
  return { ok: result.status === 0, output: readFileSync(logFile, 'utf8') };
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly ms: number;
}

/** One HTTP request to 127.0.0.1 (raw: no decompression, no redirects), optionally from another loopback address. */
export function http(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer; timeoutMs?: number; localAddress?: string } = {},
): Promise<HttpResponse> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false, localAddress: options.localAddress },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({
          status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('latin1'), ms: Date.now() - started,
        }));
      },
    );
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`timeout: GET 127.0.0.1:${port}${path}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Waits until `path` answers with `status` (servers start asynchronously). */
export async function waitFor(port: number, path: string, status = 200, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await http(port, path, { timeoutMs: 1000 });
      if (res.status === status) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`127.0.0.1:${port}${path} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}
