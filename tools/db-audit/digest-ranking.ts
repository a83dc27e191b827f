/** Groups slow log entries by fingerprint and ranks the classes by total time. */
import { fingerprint } from './fingerprint.js';
import type { SlowLogEntry } from './slow-log-parser.js';
import type { Digest } from './types.js';

export function rankSlowLogDigests(entries: readonly SlowLogEntry[]): Digest[] {
  const groups = new Map<string, SlowLogEntry[]>();
  for (const entry of entries) {
    const key = fingerprint(entry.statement);
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  const digests: Digest[] = [];
  for (const [text, group] of groups) {
    const times = group.map((e) => e.queryTime);
    // The example is the slowest execution, as pt-query-digest picks it.
    const slowest = group.reduce((a, b) => (b.queryTime > a.queryTime ? b : a));
    digests.push({
      source: 'slow-log',
      fingerprint: text,
      count: group.length,
      totalTime: sum(times),
      p95Time: percentile(times, 0.95),
      rowsExamined: sum(group.map((e) => e.rowsExamined)),
      rowsSent: sum(group.map((e) => e.rowsSent)),
      fullScans: group.filter((e) => e.fullScan).length,
      tmpDiskTables: group.filter((e) => e.tmpDiskTable).length,
      example: slowest.statement,
      schema: slowest.schema,
    });
  }
  return sortByTotalTime(digests);
}

export function sortByTotalTime(digests: Digest[]): Digest[] {
  return digests.sort((a, b) => b.totalTime - a.totalTime || b.count - a.count);
}

/** Nearest-rank percentile (p in 0..1) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

function sum(values: readonly number[]): number {
  // Rounded to microseconds: the log's resolution, so float noise never reorders classes.
  return Math.round(values.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
}
