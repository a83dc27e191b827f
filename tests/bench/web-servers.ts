/**
 * Benchmark: the rendered web pod setup against Debian's stock nginx + php-fpm configuration, on
 * the same CPU (both servers pinned to one core with taskset; wrk on another), same PHP binary
 * and php.ini base, same test page mixing CPU work and 40 ms of I/O wait per request, like a
 * Laravel request waiting on MariaDB and Redis, in two profiles (mostly waiting, CPU-heavy).
 * Prints requests/s, latency percentiles, errors and the servers' memory side by side.
 * Run through tests/bench/web-servers.sh.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironments } from '../../apps/config/index.js';
import { phpFpmMaxChildren, WEB_STATUS_PATHS } from '../../charts/web/configs.js';
import {
  RENDERED_PORTS, STOCK_HTTP_PORT, startNginx, startPhpFpm, waitFor, writeRenderedSetup, writeStockSetup, type ServerProcess, type ServerSetup,
} from '../integration/web/servers.js';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SERVER_CPUS = process.env.BENCH_SERVER_CPUS ?? '1';
const CLIENT_CPUS = process.env.BENCH_CLIENT_CPUS ?? '0';
/** Request profiles: sha256 rounds (1500 are about 5 ms of CPU here) and I/O wait. */
const PROFILES = [
  { name: 'mostly waiting (~1.5 ms CPU + 40 ms I/O)', path: '/index.php?r=bench&hashes=450&wait_ms=40' },
  { name: 'CPU-heavy (~5 ms CPU + 40 ms I/O)', path: '/index.php?r=bench&hashes=1500&wait_ms=40' },
] as const;

interface Result {
  readonly profile: string;
  readonly name: string;
  readonly workers: string;
  readonly requestsPerSecond: number;
  readonly p50: string;
  readonly p99: string;
  readonly requests: number;
  readonly errors: number;
  readonly errorDetail: string;
  readonly peakRssMiB: number;
}

/** Resident memory of every process in a process group (master and workers), in MiB. */
function groupRssMiB(pgids: number[]): number {
  let kib = 0;
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (!pgids.includes(pgid)) continue;
      const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      kib += rss ? Number(rss[1]) : 0;
    } catch {
      // the process ended while we looked
    }
  }
  return Math.round(kib / 1024);
}

/** Runs wrk on the client CPU; asynchronous so memory can be sampled meanwhile. */
function wrk(port: number, path: string, seconds: number): Promise<string> {
  const child = spawn('taskset', [
    '-c', CLIENT_CPUS, 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '5s', '--latency',
    `http://127.0.0.1:${port}${path}`,
  ]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk failed: ${out}`)))));
}

function parseWrk(profile: string, name: string, workers: string, out: string, peakRssMiB: number): Result {
  const pick = (re: RegExp): string => {
    const found = re.exec(out)?.[1];
    if (found === undefined) throw new Error(`${name}: no ${re} in the wrk output:\n${out}`);
    return found;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return {
    profile,
    name,
    workers,
    requestsPerSecond: Number(pick(/Requests\/sec:\s+([\d.]+)/)),
    p50: pick(/^\s*50%\s+(\S+)\s*$/m),
    p99: pick(/^\s*99%\s+(\S+)\s*$/m),
    requests: Number(pick(/(\d+) requests in/)),
    errors: non2xx + socketErrors,
    errorDetail: `non-2xx ${non2xx}, socket ${socket ? socket[0].replace('Socket errors: ', '') : 'none'}`,
    peakRssMiB,
  };
}

/** Starts one setup on the server CPU and runs every profile against it. */
async function run(setup: ServerSetup, workers: string, ready: { port: number; path: string }): Promise<Result[]> {
  const processes: ServerProcess[] = [startPhpFpm(setup, SERVER_CPUS), startNginx(setup, SERVER_CPUS)];
  const results: Result[] = [];
  try {
    await waitFor(ready.port, ready.path);
    for (const profile of PROFILES) {
      await waitFor(setup.httpPort, profile.path);
      await wrk(setup.httpPort, profile.path, 3); // warm-up: opcache, dynamic pool growth
      const pgids = processes.map((p) => p.pid);
      let peak = groupRssMiB(pgids);
      const sampler = setInterval(() => { peak = Math.max(peak, groupRssMiB(pgids)); }, 500);
      const out = await wrk(setup.httpPort, profile.path, DURATION_SECONDS);
      clearInterval(sampler);
      results.push(parseWrk(profile.name, setup.name, workers, out, Math.max(peak, groupRssMiB(pgids))));
    }
    return results;
  } finally {
    for (const p of processes.reverse()) await p.stop('SIGQUIT', 5000);
    rmSync(setup.dir, { recursive: true, force: true });
  }
}

const production = (await loadEnvironments()).find((e) => e.name === 'production')!.config;
const rendered = await run(
  writeRenderedSetup(production, mkdtempSync(join(tmpdir(), 'web-bench-rendered-'))),
  `static ${phpFpmMaxChildren(production)}`,
  { port: RENDERED_PORTS.nginxStatus, path: WEB_STATUS_PATHS.readyz },
);
const stock = await run(
  writeStockSetup(mkdtempSync(join(tmpdir(), 'web-bench-stock-'))), 'dynamic, max 5', { port: STOCK_HTTP_PORT, path: '/index.php' },
);
const results = PROFILES.flatMap((_, i) => [rendered[i], stock[i]]);

console.log(`\nweb servers: ${DURATION_SECONDS}s per run, ${CONNECTIONS} connections, servers on CPU ${SERVER_CPUS}, wrk on CPU ${CLIENT_CPUS}`);
const rows: string[][] = [
  ['page', 'setup', 'php-fpm pool', 'requests/s', 'p50', 'p99', 'requests', 'errors', 'peak RSS MiB'],
  ...results.map((r) => [
    r.profile, r.name, r.workers, r.requestsPerSecond.toFixed(1), r.p50, r.p99, String(r.requests), String(r.errors), String(r.peakRssMiB),
  ]),
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
for (const r of results) console.log(`${r.name}, ${r.profile}: ${r.errorDetail}`);
