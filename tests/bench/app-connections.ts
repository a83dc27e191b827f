/**
 * The open-connections experiment (docs/decisions/0006) on the real app: the rehearsal's Laravel
 * app behind the rendered nginx + php-fpm, reading from the converged replica over TLS (the
 * Service names the pods dial), with the pod's config cached once with DB_PERSISTENT=false (what
 * the ConfigMap says) and once with true. Per side: the app user's sleeping connections on the
 * replica after a load run, connections opened per request (Connections status delta), and the
 * connect cost: single-client latency and server CPU per request. Sides alternate, BENCH_REPEATS
 * times; medians with min-max. Run through tests/bench/app-connections.sh.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadEnvironments } from '../../apps/load.js';
import { phpFpmMaxChildren } from '../../charts/web/configs.js';
import { RENDERED_PORTS, waitFor } from '../integration/web/servers.js';
import { appEnv } from '../rehearsal/platform.js';
import { startWeb } from '../rehearsal/servers.js';
import { mariadbPids, sql, startRealApp } from './real-app.js';
import { markdownTable, median, medianSpread, writeResults } from './results-file.js';
import { groupCpuSeconds, pinGroups, pinPid } from './server-processes.js';
import { parseWrk, wrk } from './wrk.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const SERVER_CPUS = process.env.BENCH_SERVER_CPUS ?? '1';
const CLIENT_CPUS = process.env.BENCH_CLIENT_CPUS ?? '0';
const PATH = '/bench/db-read';

const production = (await loadEnvironments()).find((e) => e.name === 'production')!.config;
const app = await startRealApp(production, 1000);
for (const pid of [...mariadbPids(), ...app.redis.map((r) => r.child.pid!)]) pinPid(pid, CLIENT_CPUS);
pinPid(process.pid, CLIENT_CPUS);

const user = appEnv.DB_USERNAME!;
const sleeping = () => Number(sql('replica1', `SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '${user}' AND COMMAND = 'Sleep'`));
const connections = () => Number(sql('replica1', "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'CONNECTIONS'"));

interface Run { side: string; sleepingAfter: number; connectsPerRequest: number; p50Ms: number; cpuMs: number; rps: number; errors: number }
const runs: Run[] = [];
const sides = [{ name: 'non-persistent (DB_PERSISTENT=false, the ConfigMap)', persistent: 'false' }, { name: 'persistent (DB_PERSISTENT=true)', persistent: 'true' }];
const load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
for (let repeat = 0; repeat < REPEATS; repeat++) {
  for (const side of repeat % 2 ? [...sides].reverse() : sides) {
    app.optimize({ DB_PERSISTENT: side.persistent });
    const { nginx, phpFpm } = startWeb(app.root, production, RENDERED_PORTS, app.env);
    const pgids = [nginx.child.pid!, phpFpm.child.pid!];
    try {
      await waitFor(RENDERED_PORTS.http, '/up', 200, 20_000);
      pinGroups(pgids, SERVER_CPUS);
      const client = { cpus: CLIENT_CPUS, url: `http://127.0.0.1:${RENDERED_PORTS.http}${PATH}`, host: app.host };
      await wrk({ ...client, connections: 4, seconds: 2 }); // warm-up
      const cpuBefore = groupCpuSeconds(pgids);
      const connsBefore = connections();
      const single = parseWrk(await wrk({ ...client, connections: 1, seconds: SECONDS / 2 }));
      const cpuMs = ((groupCpuSeconds(pgids) - cpuBefore) / single.requests) * 1000;
      const connectsPerRequest = (connections() - connsBefore) / single.requests;
      const loaded = parseWrk(await wrk({ ...client, connections: CONNECTIONS, seconds: SECONDS }));
      await sleep(1000); // requests done: only idle connections are left
      runs.push({ side: side.name, sleepingAfter: sleeping(), connectsPerRequest, p50Ms: single.p50Ms, cpuMs, rps: loaded.requestsPerSecond, errors: loaded.errors + single.errors });
      console.log(`repeat ${repeat + 1} ${side.name}: ${JSON.stringify(runs[runs.length - 1])}`);
    } finally {
      await Promise.all([nginx.terminate(5), phpFpm.terminate(5)]);
    }
  }
}
app.optimize();

const rows: string[][] = [['PDO', 'sleeping connections on the replica after load', 'connects per request', 'single-client p50 ms', 'server CPU ms/request', `requests/s at ${CONNECTIONS} connections`, 'errors']];
for (const side of sides) {
  const mine = runs.filter((r) => r.side === side.name);
  rows.push([
    side.name,
    medianSpread(mine.map((r) => r.sleepingAfter), 0),
    medianSpread(mine.map((r) => r.connectsPerRequest), 2),
    medianSpread(mine.map((r) => r.p50Ms), 2),
    medianSpread(mine.map((r) => r.cpuMs), 2),
    medianSpread(mine.map((r) => r.rps)),
    String(mine.reduce((s, r) => s + r.errors, 0)),
  ]);
}
const costMs = median(runs.filter((r) => r.side === sides[0]!.name).map((r) => r.p50Ms)) - median(runs.filter((r) => r.side === sides[1]!.name).map((r) => r.p50Ms));
const table = markdownTable(rows);
console.log(`\n${table}\nconnect cost (TLS handshake + auth), p50 difference: ${costMs.toFixed(2)} ms per request`);
writeResults('app-connections', [
  `Real Laravel 12 app, rendered web pod (php-fpm static ${phpFpmMaxChildren(production)}), ${PATH} read from the converged replica over TLS.`,
  `${REPEATS} alternating repeats; connect cost = single-client p50 difference: ${costMs.toFixed(2)} ms per request.`,
  `Servers on CPU ${SERVER_CPUS}; wrk, MariaDB and Redis on CPU ${CLIENT_CPUS}. Median (min-max). Load average at start: ${load}; the machine is shared.`,
  '',
  table,
].join('\n'));
// The Redis servers' child handles keep the event loop alive; exit runs the process-group cleanup.
process.exit(0);
