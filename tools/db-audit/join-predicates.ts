/**
 * Charset, collation and type mismatches found where the workload really joins: the `a.x = b.y`
 * predicates of the digests' examples, whatever the columns are named. A mismatch makes the
 * server convert one side per row, so the index on that side cannot be used for the join.
 */
import { parseQueryShape } from './query-shape.js';
import type { ColumnInfo, Digest, SchemaCatalog } from './types.js';

export interface JoinPredicateMismatch {
  /** The column to change (the one out of line with its table's default, or the utf8mb3 side). */
  readonly column: ColumnInfo;
  /** The column it is joined with. */
  readonly other: ColumnInfo;
  readonly detail: string;
}

const isString = (c: ColumnInfo) => c.charset !== null;
const isNumber = (c: ColumnInfo) => /int|decimal|float|double/.test(c.dataType);

export function findJoinPredicateMismatches(digests: readonly Digest[], catalog: SchemaCatalog): JoinPredicateMismatch[] {
  const found = new Map<string, JoinPredicateMismatch>();
  const keyed = (c: ColumnInfo) => catalog.indexes.some((i) => i.table === c.table && i.unique && i.columns.includes(c.name));
  const tableCollation = (table: string) => catalog.tables.find((t) => t.name === table)?.collation ?? '';
  for (const digest of digests) {
    if (!digest.example) continue;
    const shape = parseQueryShape(digest.example);
    if (!shape) continue;
    const resolve = (qualifier: string | null, name: string): ColumnInfo | null => {
      const tables = shape.tables.filter((t) => qualifier === null || t.alias === qualifier || t.name === qualifier);
      const matches = tables.flatMap((t) => catalog.columns.filter((c) => c.table === t.name && c.name === name));
      return matches.length === 1 ? matches[0]! : null;
    };
    for (const p of shape.predicates) {
      if (!p.otherColumn || p.kind !== 'equality') continue;
      const a = resolve(p.column.qualifier, p.column.column);
      const b = resolve(p.otherColumn.qualifier, p.otherColumn.column);
      if (!a || !b || a.table === b.table) continue;
      let change: ColumnInfo | null = null;
      let reason = '';
      if (isString(a) && isString(b) && (a.charset !== b.charset || a.collation !== b.collation)) {
        // Change the side that differs from its own table's default (or is utf8mb3): the other is the norm.
        const odd = (c: ColumnInfo) => (c.charset === 'utf8mb3' ? 2 : 0) + (c.collation !== tableCollation(c.table) ? 1 : 0);
        change = odd(a) >= odd(b) ? a : b;
        reason = 'charset/collation';
      } else if ((isString(a) && isNumber(b)) || (isNumber(a) && isString(b))) {
        // Never retype a primary or unique key; else widen the number to the string type (no value lost).
        const free = [a, b].filter((c) => !keyed(c));
        change = free.find(isNumber) ?? free[0] ?? null;
        reason = change && isString(change) ? 'type (string against number; check every value is numeric first)' : 'type (string against number)';
      }
      if (!change) continue;
      const other = change === a ? b : a;
      const key = `${change.table}.${change.name}`;
      if (found.has(key)) continue;
      const describe = (c: ColumnInfo) => `${c.table}.${c.name} (${c.columnType}${c.charset ? ` ${c.charset}/${c.collation}` : ''})`;
      found.set(key, {
        column: change, other,
        detail: `the workload joins ${describe(change)} with ${describe(other)} (${reason} differ, digest ${digest.fingerprint.slice(0, 100)}): the server converts ${change.name} per row and cannot use an index on it for the join`,
      });
    }
  }
  return [...found.values()];
}
