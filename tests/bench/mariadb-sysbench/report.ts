/**
 * Tables of tests/bench/mariadb-sysbench.sh from its runs (TSV): stock against tuned per workload
 * (median and min-max spread of the alternated repeats, the tuned/stock ratio of the medians),
 * and the attribution (each step's TPS and its change against the step before).
 * Writes tests/bench/results/mariadb-sysbench.json (runs by mode) and the tables between the
 * markers of decision 0003 (tests/unit/mariadb-sysbench-figures.test.ts compares them).
 * Usage: report.ts RUNS.tsv CONTEXT MODE
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../apps/config/index.js';

const [runsFile, context, mode] = process.argv.slice(2);
if (!runsFile || !context || !mode) throw new Error('usage: report.ts RUNS.tsv CONTEXT MODE');
const [header, ...lines] = readFileSync(runsFile, 'utf8').trim().split('\n').map((l) => l.split('\t'));
type Run = Record<string, string>;
const runs: Run[] = lines.map((l) => Object.fromEntries(header!.map((h, i) => [h, l[i]!])));
const METRICS = [['tps', 'TPS', 1], ['p95_ms', 'p95 ms', 1], ['miss_pct', 'pool miss %', 3], ['fsyncs_per_txn', 'fsyncs/txn', 2], ['cpu_cores', 'CPU cores', 2]] as const;

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const spread = (v: number[], d: number) => (v.length > 1 ? `${median(v).toFixed(d)} (${Math.min(...v).toFixed(d)}-${Math.max(...v).toFixed(d)})` : median(v).toFixed(d));
const ratio = (a: number, b: number) => (b === 0 ? '-' : `${(a / b).toFixed(2)}x`);
function table(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
const values = (rs: Run[], key: string) => rs.map((r) => Number(r[key]));
const workloads = (phase: string) => [...new Set(runs.filter((r) => r.phase === phase).map((r) => r.workload!))];

const compareRows: string[][] = [['workload (threads)', 'config', ...METRICS.map((m) => m[1]), 'TPS tuned/stock']];
for (const w of workloads('compare')) {
  const of = (c: string) => runs.filter((r) => r.phase === 'compare' && r.config === c && r.workload === w);
  const ratioText = ratio(median(values(of('tuned'), 'tps')), median(values(of('stock'), 'tps')));
  for (const c of ['stock', 'tuned']) compareRows.push([w, c, ...METRICS.map(([k, , d]) => spread(values(of(c), k), d)), c === 'tuned' ? ratioText : '']);
}
const attributionRows: string[][] = [['workload (threads)', 'step (cumulative)', 'TPS', 'change vs previous step', 'vs stock', 'pool miss %', 'p95 ms']];
for (const w of workloads('attribution')) {
  const steps = [...new Set(runs.filter((r) => r.phase === 'attribution' && r.workload === w).map((r) => r.config!))];
  const tpsOf = (s: string) => median(values(runs.filter((r) => r.phase === 'attribution' && r.workload === w && r.config === s), 'tps'));
  steps.forEach((s, i) => {
    const rs = runs.filter((r) => r.phase === 'attribution' && r.workload === w && r.config === s);
    const change = i === 0 ? '' : `${(100 * (tpsOf(s) / tpsOf(steps[i - 1]!) - 1)).toFixed(0)}%`;
    attributionRows.push([w, s, spread(values(rs, 'tps'), 1), change, ratio(tpsOf(s), tpsOf(steps[0]!)), spread(values(rs, 'miss_pct'), 3), spread(values(rs, 'p95_ms'), 1)]);
  });
}
const loads = values(runs, 'load');
const summary = `${context}; load average ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)} (shared machine: noisy)`;
const compare = table(compareRows);
const attribution = table(attributionRows);

const out = join(REPO_ROOT, 'tests/bench/results/mariadb-sysbench.json');
mkdirSync(join(out, '..'), { recursive: true });
const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { runs: {} };
previous.runs[mode] = { summary, compare, attribution, runs };
previous.latest = mode; // the run the decision shows
writeFileSync(out, `${JSON.stringify(previous, null, 1)}\n`);

const decision = join(REPO_ROOT, 'docs/decisions/0003-database-security-tuning-and-read-write-split.md');
let text = readFileSync(decision, 'utf8');
for (const [label, body] of [['compare', `${summary}\n\n${compare}`], ['attribution', attribution]] as const) {
  const open = `<!-- mariadb-sysbench:${label} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf('<!-- /mariadb-sysbench -->', start);
  if (start < 0 || end < 0) { console.error(`${decision}: no ${open} ... <!-- /mariadb-sysbench --> block; not written there`); continue; }
  text = `${text.slice(0, start + open.length)}\n${body}\n${text.slice(end)}`;
}
writeFileSync(decision, text);
console.log(`\n${summary}\n\n${compare}\n\nattribution (one group of settings at a time, from stock to tuned):\n\n${attribution}`);
