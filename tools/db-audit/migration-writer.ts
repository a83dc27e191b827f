/**
 * Renders the proposed DDL as one reviewed-by-a-human SQL file: one ALTER TABLE per table (one
 * rebuild instead of several), each clause with its reason, each statement with its risk and the
 * online method to use. Equal index proposals from several checks are written once; an index
 * whose columns are a prefix of another proposed index on the same table is folded into it.
 */
import { columnDefinition, mergeOverrides, type ColumnOverrides } from './column-definition.js';
import type { DdlChange, SchemaCatalog, TableInfo } from './types.js';

/** Above this a blocking rebuild is not acceptable in business hours. */
export const BIG_TABLE_ROWS = 1_000_000;
export const BIG_TABLE_BYTES = 1024 ** 3;

const ORDER: Record<DdlChange['kind'], number> = { 'drop-index': 0, 'add-primary-key': 1, 'convert-charset': 2, 'modify-column': 3, 'add-index': 4, engine: 5 };

export interface MigrationInput {
  readonly catalog: SchemaCatalog;
  readonly changes: readonly DdlChange[];
  readonly generatedAt: string;
  readonly server: string;
}

function mergeChanges(catalog: SchemaCatalog, changes: readonly DdlChange[]): DdlChange[] {
  const merged: DdlChange[] = [];
  const byColumn = new Map<string, { change: DdlChange; overrides: ColumnOverrides; reasons: string[] }>();
  for (const change of changes) {
    if (change.kind === 'modify-column' && change.column && change.overrides) {
      const key = `${change.table}.${change.column}`;
      const entry = byColumn.get(key);
      if (entry) {
        entry.overrides = mergeOverrides(entry.overrides, change.overrides);
        entry.reasons.push(change.reason);
      } else {
        byColumn.set(key, { change, overrides: change.overrides, reasons: [change.reason] });
      }
      continue;
    }
    if (change.kind === 'add-index' && change.indexColumns) {
      const cols = change.indexColumns.join(',');
      const same = merged.find((m) => m.kind === 'add-index' && m.table === change.table && m.indexColumns!.join(',') === cols);
      if (same) {
        merged[merged.indexOf(same)] = { ...same, reason: `${same.reason}; also: ${change.reason}` };
        continue;
      }
    }
    if (merged.some((m) => m.table === change.table && m.clause === change.clause)) continue;
    merged.push(change);
  }
  // Fold an added index into a longer added index that starts with the same columns.
  const folded = merged.filter((a) => {
    if (a.kind !== 'add-index' || !a.indexColumns) return true;
    const longer = merged.find((b) => b !== a && b.kind === 'add-index' && b.table === a.table && b.indexColumns &&
      b.indexColumns.length > a.indexColumns!.length && a.indexColumns!.every((c, i) => b.indexColumns![i] === c));
    if (!longer) return true;
    merged[merged.indexOf(longer)] = { ...longer, reason: `${longer.reason}; also serves: ${a.reason}` };
    return false;
  });
  for (const { change, overrides, reasons } of byColumn.values()) {
    const column = catalog.columns.find((c) => c.table === change.table && c.name === change.column)!;
    folded.push({ ...change, overrides, clause: `MODIFY ${columnDefinition(column, overrides)}`, reason: reasons.join('; ') });
  }
  return folded;
}

/** Online-DDL capability of one clause on an InnoDB table. */
function isOnline(change: DdlChange): boolean {
  if (change.kind === 'add-index' || change.kind === 'drop-index') return true;
  if (change.kind === 'modify-column') {
    const o = change.overrides ?? {};
    return o.type === undefined && o.charset === undefined && o.collation === undefined;
  }
  if (change.kind === 'add-primary-key') return !/AUTO_INCREMENT/i.test(change.clause);
  return false;
}

function rebuilds(change: DdlChange): boolean {
  return change.kind !== 'add-index' && change.kind !== 'drop-index';
}

function sizeText(table: TableInfo): string {
  return `~${table.estimatedRows} rows, ${(table.dataBytes / 1024 / 1024).toFixed(1)} MiB, ${table.engine}`;
}

function riskLines(catalog: SchemaCatalog, table: TableInfo, changes: DdlChange[], online: boolean): string[] {
  const big = table.estimatedRows >= BIG_TABLE_ROWS || table.dataBytes >= BIG_TABLE_BYTES;
  const rebuild = changes.some(rebuilds);
  const hasKey = catalog.indexes.some((i) => i.table === table.name && i.unique);
  const lines: string[] = [];
  if (online) {
    lines.push(`risk: ALGORITHM=INPLACE, LOCK=NONE: reads and writes continue; ${rebuild ? 'the table is rebuilt in place' : 'no table rebuild'}; short metadata locks at start and end wait for open transactions on the table.`);
  } else if (table.engine.toLowerCase() !== 'innodb') {
    lines.push(`risk: ${table.engine} has no online DDL: the table is copied and writes wait until the copy ends.`);
  } else {
    lines.push('risk: ALGORITHM=COPY (type or character set change): the table is copied and writes wait until the copy ends; values that do not fit the new type make it fail in strict mode.');
  }
  if (rebuild || !online) {
    if (big && hasKey) {
      lines.push(`risk: big table: run it online with pt-online-schema-change --alter "${changes.map((c) => c.clause).join(', ')}" D=${catalog.database},t=${table.name} (dry-run first).`);
    } else if (big) {
      lines.push('risk: big table without a primary or unique key: pt-online-schema-change cannot chunk it; run in a maintenance window (or add the key first).');
    } else {
      lines.push(`risk: small table (${table.estimatedRows} rows): the copy takes seconds; run it off-peak.`);
    }
  }
  if (changes.some((c) => c.kind === 'drop-index')) lines.push('risk: a query naming a dropped index in FORCE/USE INDEX fails; grep the app for the index names first.');
  return lines;
}

export function renderMigration(input: MigrationInput): string {
  const out: string[] = [
    `-- Generated by db-audit on ${input.generatedAt} for database \`${input.catalog.database}\` (${input.server}).`,
    '-- Proposals only: the audit ran read-only and applied nothing. Review each statement, test it on a',
    '-- copy, and apply with: mariadb <database> < this-file.sql',
    '',
  ];
  const changes = mergeChanges(input.catalog, input.changes);
  if (changes.length === 0) out.push('-- No changes proposed.');
  for (const table of input.catalog.tables) {
    const mine = changes.filter((c) => c.table === table.name).sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
    if (mine.length === 0) continue;
    const online = table.engine.toLowerCase() === 'innodb' && mine.every(isOnline);
    out.push(`-- Table \`${table.name}\` (${sizeText(table)})`);
    for (const change of mine) out.push(`-- why (${change.kind}): ${change.reason.replace(/\s+/g, ' ')}`);
    for (const line of riskLines(input.catalog, table, mine, online)) out.push(`-- ${line}`);
    const clauses = mine.map((c) => c.clause);
    if (online) clauses.push('ALGORITHM=INPLACE', 'LOCK=NONE');
    out.push(`ALTER TABLE \`${table.name}\`\n  ${clauses.join(',\n  ')};`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
