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
