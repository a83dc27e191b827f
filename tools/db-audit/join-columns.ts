/**
 * Finds the columns tables are joined on: declared foreign keys, plus columns named by the
 * `<table>_id` convention (Laravel's `marketplace_account_id` -> `marketplace_accounts.id`),
 * which many apps use without declaring a constraint.
 */
import type { SchemaCatalog } from './types.js';

export interface JoinColumn {
  readonly table: string;
  readonly column: string;
  readonly referencedTable: string;
  readonly referencedColumn: string;
  readonly declared: boolean;
}

/** Plural forms tried for `<name>_id`: name, names, namees, name -> nameies (category -> categories). */
function candidateTables(stem: string): string[] {
  const list = [stem, `${stem}s`, `${stem}es`];
  if (stem.endsWith('y')) list.push(`${stem.slice(0, -1)}ies`);
  return list;
}

export function findJoinColumns(catalog: SchemaCatalog): JoinColumn[] {
  const result: JoinColumn[] = [];
  const seen = new Set<string>();
  for (const fk of catalog.foreignKeys) {
    fk.columns.forEach((column, i) => {
      seen.add(`${fk.table}.${column}`);
      result.push({ table: fk.table, column, referencedTable: fk.referencedTable, referencedColumn: fk.referencedColumns[i]!, declared: true });
    });
  }
  const tableNames = new Set(catalog.tables.map((t) => t.name));
  const hasColumn = (table: string, column: string) => catalog.columns.some((c) => c.table === table && c.name === column);
  for (const column of catalog.columns) {
    const match = /^(.+)_id$/.exec(column.name);
    if (!match || seen.has(`${column.table}.${column.name}`)) continue;
    const target = candidateTables(match[1]!).find((t) => tableNames.has(t) && t !== column.table && hasColumn(t, 'id'));
    if (target) {
      result.push({ table: column.table, column: column.name, referencedTable: target, referencedColumn: 'id', declared: false });
    }
  }
  return result;
}
