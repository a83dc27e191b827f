/**
 * Precision and recall per problem class: what the report says (findings, index proposals,
 * predicate rewrites) against what a fixture planted. Keys are `table.object` (findings),
 * `table(cols)` (index proposals) and `table.col[+col]` (rewrites).
 */
import type { AuditReport } from '../../../tools/db-audit/types.js';

export type ClassKeys = Record<string, readonly string[]>;

export function reportedByClass(report: AuditReport): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (cls: string, key: string) => (out[cls] ??= []).includes(key) || out[cls]!.push(key);
  for (const f of report.findings) add(f.kind, `${f.table}${f.object ? `.${f.object}` : ''}`);
  for (const a of report.queryAdvice) {
    for (const p of a.proposals) add('index-proposal', `${p.table}(${p.columns.join(', ')})`);
    for (const r of a.rewrites ?? []) add(`rewrite:${r.kind}`, `${r.table}.${r.columns.join('+')}`);
  }
  return out;
}

export interface ClassScore {
  readonly cls: string;
  readonly expected: number;
  readonly reported: number;
  readonly truePositives: number;
  readonly precision: number;
  readonly recall: number;
  readonly falsePositives: readonly string[];
  readonly missed: readonly string[];
}

export function score(expected: ClassKeys, report: AuditReport): ClassScore[] {
  const reported = reportedByClass(report);
  const classes = [...new Set([...Object.keys(expected), ...Object.keys(reported)])].sort();
  return classes.map((cls) => {
    const want = new Set(expected[cls] ?? []);
    const got = reported[cls] ?? [];
    const tp = got.filter((k) => want.has(k)).length;
    return {
      cls, expected: want.size, reported: got.length, truePositives: tp,
      precision: got.length === 0 ? 1 : tp / got.length,
      recall: want.size === 0 ? 1 : tp / want.size,
      falsePositives: got.filter((k) => !want.has(k)),
      missed: [...want].filter((k) => !got.includes(k)),
    };
  });
}

export const scoreLine = (fixture: string, s: ClassScore) =>
  `${fixture} ${s.cls.padEnd(30)} planted ${String(s.expected).padStart(2)} reported ${String(s.reported).padStart(2)} ` +
  `precision ${s.precision.toFixed(2)} recall ${s.recall.toFixed(2)}${s.falsePositives.length ? ` FP: ${s.falsePositives.join(', ')}` : ''}${s.missed.length ? ` missed: ${s.missed.join(', ')}` : ''}`;
