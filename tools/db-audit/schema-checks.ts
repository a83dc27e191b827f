/**
 * Schema checks: pure functions from the catalog, the data profile and index usage to findings,
 * each with the DDL that would fix it. Thresholds are explicit options so the report can state them.
 */
import { columnDefinition, type ColumnOverrides } from './column-definition.js';
import { narrowFlag, narrowString } from './column-narrowing.js';
import { INTEGER_TYPES } from './data-profile.js';
import { engineFacts } from './engine-facts.js';
import { isFrameworkTable } from './framework-tables.js';
import { findJoinColumns, type JoinColumn } from './join-columns.js';
import type { JoinPredicateMismatch } from './join-predicates.js';
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
  /**
   * `table.column` -> why an index on it must stay even when unused: the column appears in an
   * unsargable predicate of a digest, whose fix (rewrite the predicate) needs that index.
   */
  readonly digestColumns?: ReadonlyMap<string, string>;
  /** Mismatches found in the join predicates of the digests (whatever the columns are named). */
  readonly joinPredicateMismatches?: readonly JoinPredicateMismatch[];
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

function unusedIndexFindings(input: SchemaCheckInput, alreadyDropped: Set<string>, joins: JoinColumn[], kept: string[]): Finding[] {
  const { catalog, indexUsage } = input;
  if (indexUsage === null) return [];
  const findings: Finding[] = [];
  const uptime = `${input.uptimeSeconds} s (${(input.uptimeSeconds / 86_400).toFixed(1)} days) of uptime`;
  for (const index of catalog.indexes) {
    const key = `${index.table}.${index.name}`;
    if (index.name === 'PRIMARY' || index.unique || alreadyDropped.has(key)) continue;
    if ((indexUsage.get(key) ?? 0) > 0) continue;
    const others = catalog.indexes.filter((o) => o !== index && o.table === index.table);
    const startsWith = (i: IndexInfo, cols: readonly string[]) => cols.every((c, k) => i.columns[k] === c);
    // A declared foreign key needs an index starting with its columns: this one, if no other does.
    const fk = catalog.foreignKeys.find((f) => f.table === index.table && startsWith(index, f.columns) && !others.some((o) => startsWith(o, f.columns)));
    if (fk) {
      kept.push(`unused index ${key} kept: foreign key ${fk.name} (${fk.columns.join(', ')}) needs it (after ${uptime})`);
      continue;
    }
    // A join column by naming convention: the only index on it backs that join.
    if (joins.some((j) => j.table === index.table && index.columns[0] === j.column && !others.some((o) => o.columns[0] === j.column))) continue;
    const inDigest = index.columns.map((c) => ({ c, why: input.digestColumns?.get(`${index.table}.${c}`) })).find((x) => x.why);
    if (inDigest) {
      kept.push(`unused index ${key} kept: ${index.table}.${inDigest.c} appears in ${inDigest.why}; fix the predicate and the index serves it (after ${uptime})`);
      continue;
    }
    const detail = `index ${index.name} (${index.columns.join(', ')}) was not read once in ${uptime}, and no digest predicate or foreign key needs it`;
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
      const detail = `engine ${engineFacts(table)}; InnoDB has transactions, crash recovery and row locks`;
      findings.push({ kind: 'non-innodb-table', table: table.name, object: null, detail,
        fix: { table: table.name, kind: 'engine', clause: 'ENGINE=InnoDB', reason: detail } });
    }
    if (/^utf8mb3_|^utf8_/.test(table.collation)) {
      const detail = `default charset utf8mb3 (collation ${table.collation}): 3-byte UTF-8 cannot store emoji or other 4-byte characters, and joins with utf8mb4 columns convert per row`;
      findings.push({ kind: 'utf8mb3-table', table: table.name, object: null, detail,
        fix: { table: table.name, kind: 'convert-charset', clause: 'CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', reason: detail } });
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
  // Columns the workload joins on are sized to their partner, and `*_id` columns hold ids of rows yet to come.
  for (const m of input.joinPredicateMismatches ?? []) for (const c of [m.column, m.other]) keyColumns.add(`${c.table}.${c.name}`);
  for (const c of catalog.columns) if (/(^|_)id$/.test(c.name)) keyColumns.add(`${c.table}.${c.name}`);
  for (const profile of profiles) {
    if (profile.rowsProfiled < options.minRowsForDataChecks) continue;
    const column = catalog.columns.find((c) => c.table === profile.table && c.name === profile.column)!;
    const key = `${column.table}.${column.name}`;
    const scope = profile.sampled ? `in a sample of ${profile.rowsProfiled} rows` : `in all ${profile.rowsProfiled} rows`;
    if (column.dataType === 'bigint' && !keyColumns.has(key) && profile.maxValue !== null) {
      const target = narrowFlag(column, profile)?.type ?? smallestInteger(column, profile);
      if (target) {
        const detail = `${column.columnType} (8 bytes) holds values from ${profile.minValue} to ${profile.maxValue} ${scope}; ${target} keeps ${INTEGER_HEADROOM}x headroom`;
        findings.push({ kind: 'oversized-column', table: column.table, object: column.name, detail, fix: modifyChange(column, { type: target }, detail) });
      }
    } else if (column.charset !== null && !keyColumns.has(key)) {
      // Strings only shrink when the data shows codes; free text keeps its type.
      const narrowed = narrowString(column, profile);
      if (narrowed) {
        const detail = `${column.columnType} holds codes (${narrowed.evidence}) ${scope}; ${narrowed.type} (in-memory temp tables and sort buffers size rows by the declared length; TEXT forces on-disk temporary tables)`;
        findings.push({ kind: 'oversized-column', table: column.table, object: column.name, detail, fix: modifyChange(column, { type: narrowed.type }, detail) });
      }
    }
    const flag = keyColumns.has(key) ? null : narrowFlag(column, profile);
    if (flag && column.dataType !== 'bigint') {
      const detail = `${column.columnType} ${flag.evidence} ${scope}; ${flag.type}`;
      findings.push({ kind: 'oversized-column', table: column.table, object: column.name, detail, fix: modifyChange(column, { type: flag.type }, detail) });
    }
    if (column.nullable && profile.nullCount === 0 && !profile.sampled) {
      const detail = `${column.name} is nullable but holds no NULL in all ${profile.rowsProfiled} rows; NOT NULL documents it and lets the optimizer skip NULL handling (check the app never writes NULL first)`;
      findings.push({ kind: 'never-null-column', table: column.table, object: column.name, detail, fix: modifyChange(column, { notNull: true }, detail) });
    }
  }
  return findings;
}

/** The overrides that make `column` compare like `other`: its charset and collation, or (string against number) its whole type. */
function retypeLike(column: ColumnInfo, other: ColumnInfo): ColumnOverrides {
  const collation = other.collation ?? undefined;
  if ((column.charset === null) === (other.charset === null)) return { charset: other.charset ?? undefined, collation };
  return other.charset === null ? { type: other.columnType } : { type: other.columnType, charset: other.charset, collation };
}

export function runSchemaChecks(input: SchemaCheckInput, options: SchemaCheckOptions): SchemaCheckResult {
  const skippedChecks: string[] = [];
  // Laravel's own tables belong to the framework's migrations: nothing is proposed on them.
  const framework = input.catalog.tables.filter((t) => isFrameworkTable(t.name)).map((t) => t.name);
  if (framework.length > 0) skippedChecks.push(`Laravel framework tables left alone (their schema belongs to the framework's migrations): ${framework.join(', ')}`);
  const mine = <T extends { table: string }>(list: readonly T[]) => list.filter((x) => !isFrameworkTable(x.table));
  const catalog: SchemaCatalog = {
    ...input.catalog,
    tables: input.catalog.tables.filter((t) => !isFrameworkTable(t.name)),
    columns: mine(input.catalog.columns), indexes: mine(input.catalog.indexes), foreignKeys: mine(input.catalog.foreignKeys),
  };
  const scoped: SchemaCheckInput = { ...input, catalog, profiles: mine(input.profiles) };
  const joins = findJoinColumns(catalog);
  const duplicates = indexFindings(catalog);
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
    unused = unusedIndexFindings(scoped, dropped, joins, skippedChecks);
  }
  const byName = joinFindings(catalog, joins);
  const fromDigests: Finding[] = (input.joinPredicateMismatches ?? [])
    .filter((m) => !isFrameworkTable(m.column.table) && !byName.some((f) => f.kind === 'join-column-mismatch' && f.table === m.column.table && f.object === m.column.name))
    .map((m) => ({ kind: 'join-column-mismatch' as const, table: m.column.table, object: m.column.name, detail: m.detail,
      fix: modifyChange(m.column, retypeLike(m.column, m.other), m.detail) }));
  return {
    findings: [...tableFindings(catalog), ...duplicates, ...unused, ...byName, ...fromDigests, ...dataFindings(scoped, options, joins)],
    skippedChecks,
  };
}
