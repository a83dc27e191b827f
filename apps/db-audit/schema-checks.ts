/**
 * Schema checks: pure functions from the catalog, the data profile and index usage to findings,
 * each with the DDL that would fix it. Thresholds are explicit options so the report can state them.
 */
import { columnDefinition, type ColumnOverrides } from './column-definition.js';
import { INTEGER_TYPES } from './data-profile.js';
import { findJoinColumns, type JoinColumn } from './join-columns.js';
import type { ColumnInfo, ColumnProfile, DdlChange, Finding, IndexInfo, SchemaCatalog } from './types.js';

export interface SchemaCheckOptions {
  /** Unused-index figures only count after this much uptime (usage counters reset on restart). */
  readonly unusedIndexMinUptimeSeconds: number;
  /** Data-based checks (oversized, never NULL) need at least this many rows to say anything. */
  readonly minRowsForDataChecks: number;
}

export interface SchemaCheckInput {
  readonly catalog: SchemaCatalog;
  readonly profiles: readonly ColumnProfile[];
  /** Reads per index since server start (`table.index` -> count); null when performance_schema is not available. */
  readonly indexUsage: ReadonlyMap<string, number> | null;
  readonly uptimeSeconds: number;
}

export interface SchemaCheckResult {
  readonly findings: Finding[];
  readonly skippedChecks: string[];
}

const INT_RANGES: readonly { type: string; signed: number; unsigned: number; bytes: number }[] = [
  { type: 'smallint', signed: 32_767, unsigned: 65_535, bytes: 2 },
  { type: 'mediumint', signed: 8_388_607, unsigned: 16_777_215, bytes: 3 },
  { type: 'int', signed: 2_147_483_647, unsigned: 4_294_967_295, bytes: 4 },
];
/** Headroom an integer column keeps over its current largest value. */
const INTEGER_HEADROOM = 100;

export function indexName(table: string, columns: readonly string[]): string {
  return `idx_${table}_${columns.join('_')}`.slice(0, 64);
}

export function addIndexChange(table: string, columns: readonly string[], reason: string): DdlChange {
  const name = indexName(table, columns);
  return {
    table,
    kind: 'add-index',
    clause: `ADD INDEX \`${name}\` (${columns.map((c) => `\`${c}\``).join(', ')})`,
    reason,
    indexColumns: columns,
  };
}

function modifyChange(column: ColumnInfo, overrides: ColumnOverrides, reason: string): DdlChange {
  return {
    table: column.table,
    kind: 'modify-column',
    clause: `MODIFY ${columnDefinition(column, overrides)}`,
    reason,
    column: column.name,
    overrides,
  };
}

const sameColumns = (a: IndexInfo, b: IndexInfo) =>
  a.columns.length === b.columns.length && a.columns.every((c, i) => c === b.columns[i] && a.subParts[i] === b.subParts[i]);
const isPrefix = (a: IndexInfo, b: IndexInfo) =>
  a.columns.length < b.columns.length && a.columns.every((c, i) => c === b.columns[i] && (a.subParts[i] ?? Infinity) <= (b.subParts[i] ?? Infinity));

function indexFindings(catalog: SchemaCatalog): Finding[] {
  const findings: Finding[] = [];
  const dropped = new Set<string>();
  for (const table of catalog.tables) {
    const indexes = catalog.indexes.filter((i) => i.table === table.name);
    for (const a of indexes) {
      if (a.name === 'PRIMARY' || dropped.has(`${a.table}.${a.name}`)) continue;
      for (const b of indexes) {
        if (a === b || dropped.has(`${b.table}.${b.name}`)) continue;
        const cols = `(${a.columns.join(', ')})`;
        let kind: 'duplicate-index' | 'redundant-index' | null = null;
        if (sameColumns(a, b)) {
          // Keep the one that enforces something (unique, primary), else the first by name.
          const keepB = b.name === 'PRIMARY' || (b.unique && !a.unique) || (b.unique === a.unique && b.name < a.name);
          if (keepB) kind = 'duplicate-index';
        } else if (isPrefix(a, b) && !a.unique) {
          kind = 'redundant-index';
        }
        if (!kind) continue;
        dropped.add(`${a.table}.${a.name}`);
        const detail = kind === 'duplicate-index'
          ? `index ${a.name} ${cols} duplicates ${b.name}; every write maintains both`
          : `index ${a.name} ${cols} is a prefix of ${b.name} (${b.columns.join(', ')}), which serves the same lookups`;
        findings.push({
          kind, table: a.table, object: a.name, detail,
          fix: { table: a.table, kind: 'drop-index', clause: `DROP INDEX \`${a.name}\``, reason: detail },
        });
        break;
      }
    }
  }
  return findings;
}

function unusedIndexFindings(input: SchemaCheckInput, alreadyDropped: Set<string>, joins: JoinColumn[]): Finding[] {
  const { catalog, indexUsage } = input;
  if (indexUsage === null) return [];
  const findings: Finding[] = [];
  for (const index of catalog.indexes) {
    const key = `${index.table}.${index.name}`;
    if (index.name === 'PRIMARY' || index.unique || alreadyDropped.has(key)) continue;
    // An index that is the only one starting with a join column backs that join (and a declared FK needs it).
    const backsJoin = joins.some((j) => j.table === index.table && index.columns[0] === j.column &&
      !catalog.indexes.some((o) => o !== index && o.table === index.table && o.columns[0] === j.column));
    if (backsJoin) continue;
    if ((indexUsage.get(key) ?? 0) > 0) continue;
    const days = (input.uptimeSeconds / 86_400).toFixed(1);
    const detail = `index ${index.name} (${index.columns.join(', ')}) was not read once in ${days} days of uptime`;
    findings.push({
      kind: 'unused-index', table: index.table, object: index.name, detail,
      fix: { table: index.table, kind: 'drop-index', clause: `DROP INDEX \`${index.name}\``, reason: `${detail}; check reports and batch jobs that run less often than that before dropping` },
    });
  }
  return findings;
}

function tableFindings(catalog: SchemaCatalog): Finding[] {
  const findings: Finding[] = [];
  for (const table of catalog.tables) {
    if (table.engine.toLowerCase() !== 'innodb') {
      const detail = `engine ${table.engine}: no transactions, no crash recovery, table-level locks, not replicated safely by Galera/GTID tooling`;
      findings.push({ kind: 'non-innodb-table', table: table.name, object: null, detail,
        fix: { table: table.name, kind: 'engine', clause: 'ENGINE=InnoDB', reason: detail } });
    }
    const indexes = catalog.indexes.filter((i) => i.table === table.name);
    if (!indexes.some((i) => i.name === 'PRIMARY')) {
      const columns = catalog.columns.filter((c) => c.table === table.name);
      const candidate = indexes.find((i) => i.unique && i.columns.every((name) => columns.some((c) => c.name === name && !c.nullable)));
      const detail = 'no primary key: row-based replication must scan the table for every changed row, and InnoDB clusters on a hidden row id';
      let clause: string;
      if (candidate) {
        clause = `ADD PRIMARY KEY (${candidate.columns.map((c) => `\`${c}\``).join(', ')})`;
      } else {
        const name = columns.some((c) => c.name === 'id') ? 'row_id' : 'id';
        clause = `ADD COLUMN \`${name}\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST`;
      }
      findings.push({ kind: 'missing-primary-key', table: table.name, object: null, detail,
        fix: { table: table.name, kind: 'add-primary-key', clause, reason: candidate ? `${detail}; promotes unique key ${candidate.name}` : `${detail}; adds a surrogate key` } });
    }
  }
  return findings;
}

function joinFindings(catalog: SchemaCatalog, joins: JoinColumn[]): Finding[] {
  const findings: Finding[] = [];
  const column = (table: string, name: string) => catalog.columns.find((c) => c.table === table && c.name === name);
  for (const join of joins) {
    const child = column(join.table, join.column);
    const parent = column(join.referencedTable, join.referencedColumn);
    if (!child || !parent) continue;
    const via = join.declared ? 'foreign key' : 'naming convention';
    if (child.charset !== null && parent.charset !== null && (child.charset !== parent.charset || child.collation !== parent.collation)) {
      const detail = `${join.table}.${join.column} is ${child.charset}/${child.collation} but joins (${via}) ${join.referencedTable}.${join.referencedColumn} which is ${parent.charset}/${parent.collation}: the join converts one side and cannot use its index`;
      findings.push({ kind: 'join-column-mismatch', table: join.table, object: join.column, detail,
        fix: modifyChange(child, { charset: parent.charset, collation: parent.collation ?? undefined }, detail) });
    } else if (INTEGER_TYPES.has(child.dataType) && INTEGER_TYPES.has(parent.dataType) &&
      (child.dataType !== parent.dataType || /unsigned/.test(child.columnType) !== /unsigned/.test(parent.columnType))) {
      const detail = `${join.table}.${join.column} is ${child.columnType} but joins (${via}) ${join.referencedTable}.${join.referencedColumn} which is ${parent.columnType}`;
      findings.push({ kind: 'join-column-mismatch', table: join.table, object: join.column, detail,
        fix: modifyChange(child, { type: parent.columnType }, detail) });
    }
    const indexed = catalog.indexes.some((i) => i.table === join.table && i.columns[0] === join.column);
    if (!indexed) {
      const detail = `${join.table}.${join.column} references ${join.referencedTable}.${join.referencedColumn} (${via}) but no index starts with it: every lookup by it and every delete of a parent row scans ${join.table}`;
      findings.push({ kind: 'unindexed-foreign-key', table: join.table, object: join.column, detail,
        fix: addIndexChange(join.table, [join.column], detail) });
    }
  }
  return findings;
}

function smallestInteger(column: ColumnInfo, profile: ColumnProfile): string | null {
  const unsigned = /unsigned/.test(column.columnType);
  const largest = Math.max(Math.abs(profile.minValue ?? 0), Math.abs(profile.maxValue ?? 0)) * INTEGER_HEADROOM;
  const fit = INT_RANGES.find((r) => largest <= (unsigned ? r.unsigned : r.signed));
  return fit ? `${fit.type}${unsigned ? ' unsigned' : ''}` : null;
}

function stringTarget(length: number, choices: readonly number[]): number {
  return choices.find((c) => c >= length * 2) ?? choices[choices.length - 1]!;
}

function dataFindings(input: SchemaCheckInput, options: SchemaCheckOptions, joins: JoinColumn[]): Finding[] {
  const { catalog, profiles } = input;
  const findings: Finding[] = [];
  const autoIncrement = new Set(catalog.columns.filter((c) => /auto_increment/i.test(c.extra)).map((c) => `${c.table}.${c.name}`));
  // Key columns are sized for the table's growth, not its current content: never "oversized".
  const keyColumns = new Set<string>(autoIncrement);
  for (const j of joins) {
    keyColumns.add(`${j.table}.${j.column}`);
    keyColumns.add(`${j.referencedTable}.${j.referencedColumn}`);
  }
  for (const profile of profiles) {
    if (profile.rowsProfiled < options.minRowsForDataChecks) continue;
    const column = catalog.columns.find((c) => c.table === profile.table && c.name === profile.column)!;
    const key = `${column.table}.${column.name}`;
    const scope = profile.sampled ? `in a sample of ${profile.rowsProfiled} rows` : `in all ${profile.rowsProfiled} rows`;
    if (column.dataType === 'bigint' && !keyColumns.has(key) && profile.maxValue !== null) {
      const target = smallestInteger(column, profile);
      if (target) {
        const detail = `${column.columnType} (8 bytes) holds values from ${profile.minValue} to ${profile.maxValue} ${scope}; ${target} keeps ${INTEGER_HEADROOM}x headroom`;
        findings.push({ kind: 'oversized-column', table: column.table, object: column.name, detail, fix: modifyChange(column, { type: target }, detail) });
      }
    } else if (column.dataType === 'varchar' && (column.maxChars ?? 0) >= 64 && profile.maxLength !== null &&
      profile.maxLength <= 32 && profile.maxLength * 8 <= (column.maxChars ?? 0)) {
      const target = `varchar(${stringTarget(profile.maxLength, [16, 32, 64])})`;
      const detail = `${column.columnType} holds short codes of at most ${profile.maxLength} characters ${scope}; ${target} (in-memory temp tables and sort buffers size rows by the declared length)`;
      findings.push({ kind: 'oversized-column', table: column.table, object: column.name, detail, fix: modifyChange(column, { type: target }, detail) });
    } else if (/text$/.test(column.dataType) && profile.maxLength !== null && profile.maxLength <= 255) {
      const target = `varchar(${stringTarget(profile.maxLength, [32, 64, 128, 255])})`;
      const detail = `${column.dataType.toUpperCase()} holds strings of at most ${profile.maxLength} characters ${scope}; ${target} is stored inline and can be indexed whole (TEXT forces on-disk temporary tables)`;
      findings.push({ kind: 'oversized-column', table: column.table, object: column.name, detail, fix: modifyChange(column, { type: target }, detail) });
    }
    if (column.nullable && profile.nullCount === 0 && !profile.sampled) {
      const detail = `${column.name} is nullable but holds no NULL in all ${profile.rowsProfiled} rows; NOT NULL documents it and lets the optimizer skip NULL handling (check the app never writes NULL first)`;
      findings.push({ kind: 'never-null-column', table: column.table, object: column.name, detail, fix: modifyChange(column, { notNull: true }, detail) });
    }
  }
  return findings;
}

export function runSchemaChecks(input: SchemaCheckInput, options: SchemaCheckOptions): SchemaCheckResult {
  const joins = findJoinColumns(input.catalog);
  const skippedChecks: string[] = [];
  const duplicates = indexFindings(input.catalog);
  const dropped = new Set(duplicates.map((f) => `${f.table}.${f.object}`));
  let unused: Finding[] = [];
  if (input.indexUsage === null) {
    skippedChecks.push('unused indexes: performance_schema is not available, so index reads are not counted');
  } else if (input.uptimeSeconds < options.unusedIndexMinUptimeSeconds) {
    skippedChecks.push(
      `unused indexes: server uptime ${input.uptimeSeconds} s is below the threshold of ${options.unusedIndexMinUptimeSeconds} s ` +
        `(${(options.unusedIndexMinUptimeSeconds / 86_400).toFixed(1)} days); usage counters reset at restart, so a short uptime would call monthly-report indexes unused`,
    );
  } else {
    unused = unusedIndexFindings(input, dropped, joins);
  }
  return {
    findings: [...tableFindings(input.catalog), ...duplicates, ...unused, ...joinFindings(input.catalog, joins), ...dataFindings(input, options, joins)],
    skippedChecks,
  };
}
