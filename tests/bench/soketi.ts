/**
 * Soketi capacity benchmark (run by tests/bench/soketi.sh; not a timed test): the real Soketi
 * 1.6.1 with the production Deployment's env and Redis adapter, on a redis-server with the
 * generated redis.conf, capped to the pod's CPU request (cgroup v1 CFS quota when the machine
 * allows, else pinned to one core: figures are then per core) on core 0; the load generator
 * (tests/bench/soketi/load-generator.ts) and Redis on core 1.
 *
 * For each configuration (one Soketi process; two on the Redis adapter, clients split) and each
 * publish mode (one HTTP call per event as Laravel's broadcaster; /batch_events), users step up
 * (doubling, then bisecting; shape.ts) until a step breaks the target (p99 > 500 ms, a lost event, errors, or the HTTP API
 * not taking the scheduled rate); the knee is the last step that met it. Configurations
 * alternate within each repeat; the table gives medians and the spread over repeats.
 * Writes tests/bench/results/soketi.json (read by the capacity test) and prints the table.
 *   BENCH_REPEATS, BENCH_MODES=events,batch, BENCH_CONFIGS=1,2, BENCH_START_USERS, BENCH_MAX_USERS,
 *   BENCH_EVENTS_PER_USER_PER_MINUTE (remedy runs), BENCH_LABEL, BENCH_OUT
 *   BENCH_SERVERS=soketi,sockudo: Sockudo (its successor, same env translated) beside Soketi under
 *   the same caps and load, servers alternating within each step of a repeat; adds the
 *   side-by-side table per step and writes tests/bench/results/realtime-servers.json instead.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMillis, memoryMiB, REPO_ROOT } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { type PusherApp } from '../integration/soketi/pusher-protocol.js';
import { cpuCgroupRoot, soketiManifest, startManifestRedis, startSoketi, type ServerProcess } from '../integration/soketi/soketi-servers.js';
import { REALTIME_SERVERS } from '../../charts/lib/realtime-servers.js';
import { startSockudo } from '../integration/soketi/sockudo-servers.js';
import type { StepResult, StepSpec } from './soketi/load-generator.js';
import { LOAD_SHAPE, TARGET } from './soketi/shape.js';

const PORTS = { soketi: [16021, 16022], metrics: [19621, 19622], redis: 16393 } as const;
const SOKETI_CORE = 0;
const LOAD_CORE = 1;
const REDIS_PASSWORD = 'soketi-bench-redis';

const env = (name: string) => process.env[name];
const manifest = soketiManifest(LOAD_SHAPE.environment);
const app: PusherApp = { id: manifest.env.SOKETI_DEFAULT_APP_ID!, key: 'soketi-bench-key', secret: 'soketi-bench-secret' };
const config = (await loadEnvironments()).find((e) => e.name === LOAD_SHAPE.environment)!.config;
const eventsPerUserPerMinute = Number(env('BENCH_EVENTS_PER_USER_PER_MINUTE') ?? config.capacity.eventsPerUserPerMinute);
const repeats = Number(env('BENCH_REPEATS') ?? LOAD_SHAPE.repeats);
const modes = (env('BENCH_MODES') ?? 'events,batch').split(',') as StepSpec['mode'][];
const processCounts = (env('BENCH_CONFIGS') ?? '1,2').split(',').map(Number);
const maxUsers = Number(env('BENCH_MAX_USERS') ?? LOAD_SHAPE.maxUsers);
const startUsers = Number(env('BENCH_START_USERS') ?? LOAD_SHAPE.startUsers);
const cpuMillicores = cpuMillis(manifest.resources.requests?.cpu ?? '1');
const memoryLimitMiB = manifest.resources.limits?.memory ? memoryMiB(manifest.resources.limits.memory) : Infinity;
const cgroupRoot = cpuCgroupRoot();
type ServerName = keyof typeof REALTIME_SERVERS;
const servers = (env('BENCH_SERVERS') ?? 'soketi').split(',') as ServerName[];
for (const s of servers) if (!(s in REALTIME_SERVERS)) throw new Error(`BENCH_SERVERS: unknown server ${s} (known: ${Object.keys(REALTIME_SERVERS).join(', ')})`);
const sideBySide = servers.length > 1;

interface Step extends StepResult { readonly ok: boolean; readonly why: string }
interface Series {
  readonly server: ServerName;
  readonly processes: number;
  readonly mode: StepSpec['mode'];
  readonly repeat: number;
  readonly loadAverage: number;
  readonly steps: Step[];
  /** The last step that met the target, and the first that did not. */
  readonly knee?: Step;
  readonly broke?: Step;
}

/** Why a step misses the target ('' when it meets it). */
function verdict(r: StepResult): string {
  const why: string[] = [];
  if (r.p99Ms > TARGET.p99Ms) why.push(`p99 ${r.p99Ms} ms`);
  if (r.lost > TARGET.lost) why.push(`${r.lost} lost`);
  if (r.errors > 0) why.push(`${r.errors} errors`);
  if (r.rateLimited > 0) why.push(`${r.rateLimited} rate-limited`);
  if (r.connected < r.users) why.push(`${r.users - r.connected} not connected`);
  if (r.publishedPerSecond < r.scheduledPerSecond * TARGET.minPublishedShare) why.push(`published ${r.publishedPerSecond}/${r.scheduledPerSecond}/s`);
  if (r.soketiRssMiB.some((m) => m > memoryLimitMiB)) why.push(`RSS over the ${memoryLimitMiB} MiB limit`);
  return why.join(', ');
}

function runGenerator(spec: StepSpec): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
    const child = spawn('taskset', ['-c', String(LOAD_CORE), tsx, join(REPO_ROOT, 'tests/bench/soketi/load-generator.ts')], {
      env: { ...process.env, STEP_SPEC: JSON.stringify(spec) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try { if (code === 0) return resolve(JSON.parse(line)); } catch { /* below */ }
      reject(new Error(`load generator exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

async function step(dir: string, redis: ServerProcess, server: ServerName, processes: number, mode: StepSpec['mode'], users: number): Promise<Step> {
  const soketis: ServerProcess[] = [];
  const start = server === 'sockudo' ? startSockudo : startSoketi;
  try {
    for (let i = 0; i < processes; i++) {
      soketis.push(await start({
        environment: LOAD_SHAPE.environment, dir, app, port: PORTS.soketi[i]!, metricsPort: PORTS.metrics[i]!,
        redisPort: PORTS.redis, redisPassword: REDIS_PASSWORD,
        cpu: { core: SOKETI_CORE, cgroupDir: cgroupRoot ? join(cgroupRoot, `soketi-bench-${i}`) : undefined, millicores: cpuMillicores },
      }));
    }
    const result = await runGenerator({
      app, ports: PORTS.soketi.slice(0, processes), metricsPorts: PORTS.metrics.slice(0, processes), soketiPids: soketis.map((s) => s.pid),
      redisPid: redis.pid, users, eventsPerUserPerMinute, mode, metricNames: REALTIME_SERVERS[server].metrics,
    });
    const why = verdict(result);
    return { ...result, ok: why === '', why };
  } finally {
    for (const s of soketis) await s.stop();
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : Math.round((s[s.length / 2 - 1]! + s[s.length / 2]!) / 2);
}

function spread(values: number[]): string {
  return values.length ? `${Math.min(...values)}-${Math.max(...values)}` : '-';
}

/** Medians over the repeats of one configuration and publish mode, at the knee. */
export interface Summary {
  readonly server: ServerName;
  readonly processes: number;
  readonly mode: StepSpec['mode'];
  readonly repeats: number;
  readonly kneeUsers: number;
  readonly kneeUsersSpread: string;
  readonly usersPerProcess: number;
  readonly deliveredPerSecond: number;
  readonly deliveredSpread: string;
  readonly deliveredPerProcess: number;
  /** rate(soketi_ws_messages_sent_total) per process: what the KEDA events trigger reads. */
  readonly wsMessagesSentPerProcess: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly soketiCpuMillicores: number[];
  readonly soketiRssMiB: number[];
  readonly redisCpuMillicores: number;
  readonly generatorCpuMillicores: number;
  readonly broke: string[];
  readonly loadAverage: string;
}

function summarise(series: Series[]): Summary[] {
  const out: Summary[] = [];
  for (const server of servers) for (const processes of processCounts) {
    for (const mode of modes) {
      const runs = series.filter((s) => s.server === server && s.processes === processes && s.mode === mode);
      const k = runs.map((s) => s.knee).filter((x): x is Step => x !== undefined);
      const m = (f: (s: Step) => number) => median(k.map(f));
      const each = (f: (s: Step) => number[]) => (k.length ? f(k[0]!).map((_, i) => m((s) => f(s)[i]!)) : []);
      const kneeUsers = median(runs.map((s) => s.knee?.users ?? 0));
      out.push({
        server, processes, mode, repeats: runs.length,
        kneeUsers, kneeUsersSpread: spread(runs.map((s) => s.knee?.users ?? 0)), usersPerProcess: Math.floor(kneeUsers / processes),
        deliveredPerSecond: m((s) => s.deliveredPerSecond), deliveredSpread: spread(k.map((s) => s.deliveredPerSecond)),
        deliveredPerProcess: m((s) => Math.round(s.deliveredPerSecond / processes)),
        wsMessagesSentPerProcess: m((s) => Math.min(...s.wsMessagesSentPerSecond)),
        p50Ms: m((s) => s.p50Ms), p99Ms: m((s) => s.p99Ms),
        soketiCpuMillicores: each((s) => s.soketiCpuMillicores), soketiRssMiB: each((s) => s.soketiRssMiB),
        redisCpuMillicores: m((s) => s.redisCpuMillicores), generatorCpuMillicores: m((s) => s.generatorCpuMillicores),
        broke: runs.map((s) => (s.broke ? `${s.broke.users} users: ${s.broke.why}` : 'none up to the last step')),
        loadAverage: spread(runs.map((s) => s.loadAverage)),
      });
    }
  }
  return out;
}

function table(summaries: readonly Summary[]): string {
  const serverColumn = (cell: string) => (sideBySide ? `| ${cell} ` : '');
  const rows = [
    `${serverColumn('server')}| ${[
      sideBySide ? 'processes' : 'Soketi processes', 'publish', 'knee: users (spread)', 'users per process', 'delivered events/s (spread)', 'per process',
      sideBySide ? 'ws messages sent rate per process (each server\'s metric)' : '`soketi_ws_messages_sent_total` rate per process',
      'p50 / p99 ms', `${sideBySide ? 'server' : 'Soketi'} CPU m`, `${sideBySide ? 'server' : 'Soketi'} RSS MiB`, 'Redis CPU m', 'generator CPU m',
      'first broken step per repeat', 'load average',
    ].join(' | ')} |`,
    `${serverColumn('---')}|---|---|---|---|---|---|---|---|---|---|---|---|---|---|`,
  ];
  for (const x of summaries) {
    rows.push(`${serverColumn(x.server)}| ${x.processes} | ${x.mode === 'batch' ? `/batch_events x${LOAD_SHAPE.batchSize}` : '/events x1'} | ${x.kneeUsers} (${x.kneeUsersSpread}) | ${x.usersPerProcess} | ${x.deliveredPerSecond} (${x.deliveredSpread}) | ${x.deliveredPerProcess} | ${x.wsMessagesSentPerProcess} | ${x.p50Ms} / ${x.p99Ms} | ${x.soketiCpuMillicores.join(', ')} | ${x.soketiRssMiB.join(', ')} | ${x.redisCpuMillicores} | ${x.generatorCpuMillicores} | ${x.broke.join('; ')} | ${x.loadAverage} |`);
  }
  return rows.join('\n');
}

/**
 * Both servers at each step they all ran (the doubling steps; bisection steps differ per series),
 * one row per server: medians over the repeats, spread in brackets.
 */
function stepTable(all: readonly Series[]): string {
  const rows = [
    '| processes | publish | users | server | connected | delivered events/s | p50 / p99 ms | lost | CPU m per process | RSS MiB per process | met the target |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const processes of processCounts) for (const mode of modes) {
    const of = (server: ServerName) => all.filter((x) => x.server === server && x.processes === processes && x.mode === mode);
    const usersRun = (server: ServerName) => of(server).map((x) => new Set(x.steps.map((st) => st.users)));
    const common = [...(usersRun(servers[0]!)[0] ?? [])].filter((u) => servers.every((sv) => usersRun(sv).every((set) => set.has(u)))).sort((a, b) => a - b);
    for (const users of common) for (const server of servers) {
      const at = of(server).map((x) => x.steps.find((st) => st.users === users)!);
      const m = (f: (st: Step) => number) => `${median(at.map(f))}`;
      const ms = (f: (st: Step) => number) => `${median(at.map(f))} (${spread(at.map(f))})`;
      rows.push(`| ${processes} | ${mode === 'batch' ? `/batch_events x${LOAD_SHAPE.batchSize}` : '/events x1'} | ${users} | ${server} | ${m((st) => st.connected)} | ${ms((st) => st.deliveredPerSecond)} | ${m((st) => st.p50Ms)} / ${ms((st) => st.p99Ms)} | ${ms((st) => st.lost)} | ${ms((st) => Math.max(...st.soketiCpuMillicores))} | ${m((st) => Math.max(...st.soketiRssMiB))} | ${at.filter((st) => st.ok).length}/${at.length} |`);
    }
  }
  return rows.join('\n');
}

const DECISION = join(REPO_ROOT, 'docs/decisions/0007-soketi-capacity-and-reverb.md');

/** Replaces the table between `<!-- soketi-bench:LABEL -->` and `<!-- /soketi-bench -->` in decision 0007. */
function writeDecisionTable(label: string, rendered: string): void {
  const text = readFileSync(DECISION, 'utf8');
  const open = `<!-- soketi-bench:${label} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf('<!-- /soketi-bench -->', start);
  if (start < 0 || end < 0) { console.error(`soketi bench: no ${open} ... <!-- /soketi-bench --> in ${DECISION}; table not written there`); return; }
  writeFileSync(DECISION, `${text.slice(0, start + open.length)}\n${rendered}\n${text.slice(end)}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'soketi-bench-'));
  const redis = await startManifestRedis(LOAD_SHAPE.environment, dir, PORTS.redis, REDIS_PASSWORD);
  const series: Series[] = [];
  const started = new Date().toISOString();
  const placement = cgroupRoot
    ? `each Soketi process capped at ${cpuMillicores}m (CFS quota, the pod's CPU request; the pod has no CPU limit) on core ${SOKETI_CORE}`
    : `Soketi pinned to core ${SOKETI_CORE} (no writable cpu cgroup: figures per core, not per ${cpuMillicores}m)`;
  console.error(`soketi bench: ${placement}; load generator and Redis on core ${LOAD_CORE}; ${eventsPerUserPerMinute} events/user/min`);
  try {
    for (let repeat = 1; repeat <= repeats; repeat++) {
      // Alternate the order of the configurations between repeats, so drift hits both alike.
      const order = repeat % 2 ? processCounts : [...processCounts].reverse();
      for (const processes of order) {
        for (const mode of modes) for (const server of repeat % 2 ? servers : [...servers].reverse()) {
          const loadAverage = Math.round(loadavg()[0]! * 100) / 100;
          const steps: Step[] = [];
          const run = async (users: number) => {
            const s = await step(dir, redis, server, processes, mode, users);
            steps.push(s);
            console.error(`  repeat ${repeat} ${server} processes ${processes} ${mode} users ${users}: ${s.deliveredPerSecond}/s p50 ${s.p50Ms} p99 ${s.p99Ms} ms lost ${s.lost} cpu ${s.soketiCpuMillicores.join('+')}m gen ${s.generatorCpuMillicores}m ${s.ok ? 'ok' : `BROKE: ${s.why}`}`);
            return s;
          };
          // Double until a step breaks, then bisect between the last good and the first broken step.
          let good: Step | undefined;
          let bad: Step | undefined;
          for (let users = startUsers; users <= maxUsers && !bad; users *= 2) {
            const s = await run(users);
            if (s.ok) good = s; else bad = s;
          }
          for (let i = 0; i < LOAD_SHAPE.refinements && good && bad && bad.users - good.users > processes; i++) {
            const s = await run(Math.round((good.users + bad.users) / 2));
            if (s.ok) good = s; else bad = s;
          }
          series.push({ server, processes, mode, repeat, loadAverage, steps, knee: good, broke: bad });
        }
      }
    }
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const out = env('BENCH_OUT') ?? join(REPO_ROOT, `tests/bench/results/${sideBySide ? 'realtime-servers' : 'soketi'}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { runs: {} };
  const label = env('BENCH_LABEL') ?? `${eventsPerUserPerMinute}-events-per-user-per-minute`;
  const summaries = summarise(series);
  const rendered = sideBySide ? `${table(summaries)}\n\nPer step (the doubling steps every server ran in every repeat; medians, spread in brackets):\n\n${stepTable(series)}` : table(summaries);
  previous.runs[label] = {
    started, finished: new Date().toISOString(), placement, eventsPerUserPerMinute, cpuMillicores, memoryLimitMiB,
    shape: LOAD_SHAPE, target: TARGET, table: rendered, summaries, series,
  };
  writeFileSync(out, `${JSON.stringify(previous, null, 1)}\n`);
  if (!env('BENCH_OUT')) writeDecisionTable(sideBySide ? `${servers.join('-vs-')}:${label}` : label, rendered);
  console.log(`\n${sideBySide ? servers.join(' beside ') : 'Soketi 1.6.1'}, ${placement}; ${eventsPerUserPerMinute} events/user/min; ${repeats} repeats (${started})\n`);
  console.log(rendered);
}

await main();
