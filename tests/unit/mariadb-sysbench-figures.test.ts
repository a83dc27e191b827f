/**
 * Decision 0003 shows the tables tests/bench/mariadb-sysbench.sh printed (committed as
 * tests/bench/results/mariadb-sysbench.json): a hand edit or a stale table fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../apps/config/index.js';

const results = JSON.parse(readFileSync(join(REPO_ROOT, 'tests/bench/results/mariadb-sysbench.json'), 'utf8')) as {
  latest: string; runs: Record<string, { summary: string; compare: string; attribution: string }>;
};
const decision = readFileSync(join(REPO_ROOT, 'docs/decisions/0003-database-security-tuning-and-read-write-split.md'), 'utf8');

/** The text of one `<!-- mariadb-sysbench:LABEL -->` block. */
function block(label: string): string {
  const open = `<!-- mariadb-sysbench:${label} -->`;
  const start = decision.indexOf(open);
  const end = decision.indexOf('<!-- /mariadb-sysbench -->', start);
  if (start < 0 || end < 0) throw new Error(`decision 0003: no ${open} block`);
  return decision.slice(start + open.length, end);
}

describe('decision 0003: the sysbench tables are the benchmark\'s', () => {
  const latest = results.runs[results.latest]!;
  it('the stock-vs-tuned table and its context', () => {
    expect(block('compare')).toContain(latest.summary);
    expect(block('compare')).toContain(latest.compare);
  });
  it('the attribution table', () => {
    expect(block('attribution')).toContain(latest.attribution);
  });
});

/**
 * The issue behind the benchmark: each tuning line of 60-platform.cnf.j2 shows its worth in the
 * attribution or goes. A tuning line added to the template without a step that measures it, or a
 * reason in decision 0003's tuning table, fails here; so does a candidate the template has
 * already adopted (it belongs in STEPS then, so that the next run attributes it).
 */
describe('60-platform.cnf.j2: every tuning line is measured or has its reason', () => {
  const template = readFileSync(join(REPO_ROOT, 'ansible/roles/mariadb/templates/60-platform.cnf.j2'), 'utf8');
  const bench = readFileSync(join(REPO_ROOT, 'tests/bench/mariadb-sysbench.sh'), 'utf8');
  /** The keys of `NAME=( "label|key|key" ... )` in the bench script. */
  const arrayEntries = (name: string) => {
    const body = new RegExp(`\\n${name}=\\(\\n([\\s\\S]*?)\\n\\)`).exec(bench)?.[1];
    if (!body) throw new Error(`tests/bench/mariadb-sysbench.sh: no ${name}=( ... ) array`);
    return [...body.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.split('|').slice(1));
  };
  const measured = new Set(arrayEntries('STEPS').flat());
  const candidates = arrayEntries('CANDIDATES').flat();
  /** Keys set in the template's sections whose heading starts with one of these. */
  const sectionKeys = (...headings: string[]) => {
    const keys: string[] = [];
    let inside = false;
    for (const line of template.split('\n')) {
      const heading = /^# --- (.*?) ---/.exec(line)?.[1];
      if (heading !== undefined) inside = headings.some((h) => heading.startsWith(h));
      const key = /^([a-z_]+) = /.exec(line)?.[1];
      if (inside && key) keys.push(key);
    }
    return keys;
  };
  const tuning = [...sectionKeys('Memory', 'InnoDB I/O'), ...sectionKeys('Connections').filter((k) => k.startsWith('thread_'))];
  const tuningTable = decision.slice(decision.indexOf('### Tuning, and why'), decision.indexOf('Measured effect:'));

  it('finds the tuning lines and the steps it checks', () => {
    expect(tuning).toContain('innodb_buffer_pool_size');
    expect(measured.has('innodb_buffer_pool_size')).toBe(true);
  });
  it.each(tuning)('%s: an attribution step measures it, or decision 0003 gives its reason', (key) => {
    expect(measured.has(key) || tuningTable.includes(`\`${key}`), `${key}: in no STEPS group of tests/bench/mariadb-sysbench.sh and not in decision 0003's tuning table`).toBe(true);
  });
  it.each(candidates)('candidate "%s" is not in the template yet (adopted ones move to STEPS)', (line) => {
    expect(template.split('\n')).not.toContain(line);
  });
  it('the decision shows the full run, not --quick', () => {
    expect(results.latest).toBe('full');
  });
});
