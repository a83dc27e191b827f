/**
 * Benchmark: the web pod's rendered nginx + php-fpm pool + php.ini (opcache included) against
 * Debian's stock nginx/php-fpm, both serving the REAL Laravel app of the rehearsal (real-app.ts:
 * skeleton + tests/rehearsal/app, config cached by the pod's init container) with the converged
 * MariaDB (TLS, Service names) and the generated Redis. Two pages: a listing read from the
 * replica, and the same listing from the cache store. Same CPU: both servers' process groups on
 * BENCH_SERVER_CPUS, wrk, MariaDB and Redis on BENCH_CLIENT_CPUS; same memory (none capped, peak
 * RSS reported). Sides alternate, BENCH_REPEATS times; medians with min-max.
 * Also one request's CPU time (the servers' CPU seconds over a single-client run / requests) and
 * the CPU-bound ceiling (server cores / CPU seconds per request).
 * Run through tests/bench/web-servers.sh.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadEnvironments } from '../../apps/load.js';
import { phpFpmMaxChildren } from '../../charts/web/configs.js';
import { http, RENDERED_PORTS, startNginx, startPhpFpm, waitFor, writeStockSetup } from '../integration/web/servers.js';
import { startWeb } from '../rehearsal/servers.js';
import { mariadbPids, startRealApp } from './real-app.js';
import { markdownTable, median, medianSpread, writeResults } from './results-file.js';
import { groupCpuSeconds, groupRssMiB, pinGroups, pinPid } from './server-processes.js';
import { parseWrk, wrk, type WrkResult } from './wrk.js';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CPU_SECONDS = Number(process.env.BENCH_CPU_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const SERVER_CPUS = process.env.BENCH_SERVER_CPUS ?? '1';
const CLIENT_CPUS = process.env.BENCH_CLIENT_CPUS ?? '0';
const SERVER_CORES = SERVER_CPUS.split(',').length;
const PAGES = [
  { name: 'DB read (20 rows from the replica)', path: '/bench/db-read' },
  { name: 'cached (the same rows from the cache Redis)', path: '/bench/cached' },
] as const;

const production = (await loadEnvironments()).find((e) => e.name === 'production')!.config;
const app = await startRealApp(production, 1000);
// The backing servers share the load generator's CPU, away from the servers measured.
for (const pid of [...mariadbPids(), ...app.redis.map((r) => r.child.pid!)]) pinPid(pid, CLIENT_CPUS);
pinPid(process.pid, CLIENT_CPUS);

interface Side { name: string; pool: string; port: number; start(): Promise<{ pgids: number[]; logs(): string; stop(): Promise<void> }> }
const sides: Side[] = [
  {
    name: 'rendered', pool: `static ${phpFpmMaxChildren(production)}`, port: RENDERED_PORTS.http,
    async start() {
      const { nginx, phpFpm } = startWeb(app.root, production, RENDERED_PORTS, app.env);
      return { pgids: [nginx.child.pid!, phpFpm.child.pid!], logs: () => `${phpFpm.log().slice(-3000)}\n${nginx.log().slice(-1000)}`, stop: async () => { await Promise.all([nginx.terminate(5), phpFpm.terminate(5)]); } };
    },
  },
  {
    name: 'stock', pool: 'dynamic, max 5', port: 18081,
    async start() {
      const dir = mkdtempSync(join(tmpdir(), 'web-bench-stock-'));
      const stock = writeStockSetup(dir);
      // The pod's env reaches php-fpm as in the container; Debian's pool clears it, so the one
      // pool change is its own commented `;clear_env = no`.
      const pool = join(dir, 'etc/php/pool.d/www.conf');
      const poolText = readFileSync(pool, 'utf8');
      if (!poolText.includes(';clear_env = no')) throw new Error(`${pool}: no ";clear_env = no" to enable`);
      writeFileSync(pool, poolText.replace(';clear_env = no', 'clear_env = no'));
      const setup = { ...stock, phpFpmEnv: { ...stock.phpFpmEnv, ...app.env } };
      // Debian's site serves <dir>/var/www/html/public: the same app tree as the rendered side.
      rmSync(join(dir, 'var/www/html'), { recursive: true, force: true });
      symlinkSync(app.appDir, join(dir, 'var/www/html'));
      // The one line a Laravel app needs in Debian's site: unknown paths go to the front controller.
      const site = join(dir, 'etc/nginx/sites-available/default');
      const text = readFileSync(site, 'utf8');
      if (!text.includes('try_files $uri $uri/ =404;')) throw new Error(`${site}: no "try_files $uri $uri/ =404;" to route to Laravel`);
      writeFileSync(site, text.replace('try_files $uri $uri/ =404;', 'try_files $uri $uri/ /index.php?$query_string;'));
      const processes = [startPhpFpm(setup), startNginx(setup)];
      return { pgids: processes.map((p) => p.pid), logs: () => processes.map((p) => p.log().slice(-2000)).join('\n'), stop: async () => { for (const p of processes) await p.stop('SIGQUIT', 5000); rmSync(dir, { recursive: true, force: true }); } };
    },
  },
];

interface Run { side: string; page: string; load: WrkResult; cpuPerRequestMs: number; loadCpuPerRequestMs: number; coresUsed: number; peakRssMiB: number }
const runs: Run[] = [];
const load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
for (let repeat = 0; repeat < REPEATS; repeat++) {
  for (const side of repeat % 2 ? [...sides].reverse() : sides) {
    const servers = await side.start();
    try {
      await waitFor(side.port, '/up', 200, 20_000);
      pinGroups(servers.pgids, SERVER_CPUS);
      for (const page of PAGES) {
        const url = `http://127.0.0.1:${side.port}${page.path}`;
        const client = { cpus: CLIENT_CPUS, url, host: app.host };
        const probe = await http(side.port, page.path, { headers: { host: app.host }, timeoutMs: 10_000 });
        if (probe.status !== 200) throw new Error(`${side.name} ${page.path}: ${probe.status} ${probe.body.slice(0, 3000)}\n${servers.logs()}`);
        await wrk({ ...client, connections: CONNECTIONS, seconds: 3 }); // warm-up: opcache, pool growth
        pinGroups(servers.pgids, SERVER_CPUS); // children the warm-up forked
        const cpuBefore = groupCpuSeconds(servers.pgids);
        const single = parseWrk(await wrk({ ...client, connections: 1, seconds: CPU_SECONDS }));
        const cpuPerRequestMs = ((groupCpuSeconds(servers.pgids) - cpuBefore) / single.requests) * 1000;
        let peak = groupRssMiB(servers.pgids);
        const sampler = setInterval(() => { peak = Math.max(peak, groupRssMiB(servers.pgids)); }, 500);
        const loadCpuBefore = groupCpuSeconds(servers.pgids);
        const loadStarted = Date.now();
        const result = parseWrk(await wrk({ ...client, connections: CONNECTIONS, seconds: SECONDS }));
        const loadCpu = groupCpuSeconds(servers.pgids) - loadCpuBefore;
        const coresUsed = loadCpu / ((Date.now() - loadStarted) / 1000);
        clearInterval(sampler);
        runs.push({ side: side.name, page: page.name, load: result, cpuPerRequestMs, loadCpuPerRequestMs: (loadCpu / result.requests) * 1000, coresUsed, peakRssMiB: peak });
        console.log(`repeat ${repeat + 1} ${side.name} ${page.path}: ${result.requestsPerSecond} req/s, p99 ${result.p99Ms} ms, ${result.errorDetail}, ${cpuPerRequestMs.toFixed(2)} ms CPU/request`);
      }
    } finally {
      await servers.stop();
    }
  }
}

const rows: string[][] = [['page', 'setup', 'php-fpm pool', 'requests/s', 'p99 ms', 'errors', 'CPU ms/request (1 client)', 'CPU-bound ceiling req/s', 'of ceiling', `CPU ms/request (${CONNECTIONS} connections)`, 'server cores busy under load', 'peak RSS MiB']];
for (const page of PAGES) {
  for (const side of sides) {
    const mine = runs.filter((r) => r.page === page.name && r.side === side.name);
    const cpu = median(mine.map((r) => r.cpuPerRequestMs));
    const ceiling = (SERVER_CORES * 1000) / cpu;
    rows.push([
      page.name, side.name, side.pool,
      medianSpread(mine.map((r) => r.load.requestsPerSecond)),
      medianSpread(mine.map((r) => r.load.p99Ms)),
      String(mine.reduce((s, r) => s + r.load.errors, 0)),
      medianSpread(mine.map((r) => r.cpuPerRequestMs), 2),
      ceiling.toFixed(0),
      `${((median(mine.map((r) => r.load.requestsPerSecond)) / ceiling) * 100).toFixed(0)}%`,
      medianSpread(mine.map((r) => r.loadCpuPerRequestMs), 2),
      medianSpread(mine.map((r) => r.coresUsed), 2),
      String(Math.max(...mine.map((r) => r.peakRssMiB))),
    ]);
  }
}
const table = markdownTable(rows);
console.log(`\n${table}`);
writeResults('web-servers', [
  `Real Laravel 12 app (rehearsal probe app), converged MariaDB primary+replica over TLS, generated Redis.`,
  `${REPEATS} alternating repeats, ${SECONDS} s at ${CONNECTIONS} connections per run; CPU/request from a ${CPU_SECONDS} s single-client run`,
  `(nginx + php-fpm CPU seconds / requests); ceiling = ${SERVER_CORES} core(s) / that. Servers on CPU ${SERVER_CPUS}; wrk, MariaDB and Redis on CPU ${CLIENT_CPUS}.`,
  `Median (min-max). Load average at start: ${load}; the machine is shared, figures are noisy.`,
  '',
  table,
].join('\n'));
// The Redis servers' child handles keep the event loop alive; exit runs the process-group cleanup.
process.exit(0);
