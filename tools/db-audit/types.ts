/** Shapes shared by the audit's collectors, checks and report writers. */
import type { ColumnOverrides } from './column-definition.js';

/** One statement class: every execution whose normalized text is the same. */
export interface Digest {
  readonly source: 'slow-log' | 'performance_schema';
  /** Normalized text (literals replaced by `?`); for the slow log it matches pt-query-digest's fingerprint. */
  readonly fingerprint: string;
  readonly count: number;
  /** Seconds. */
  readonly totalTime: number;
  /** Seconds; null when the source keeps no per-execution times (performance_schema of MariaDB 10.11). */
  readonly p95Time: number | null;
  readonly rowsExamined: number;
  readonly rowsSent: number;
  /** Executions that read a table without an index. */
  readonly fullScans: number;
  /** Executions that created an on-disk temporary table. */
  readonly tmpDiskTables: number;
  /** One real execution of this digest, when the source has one. */
  readonly example: string | null;
  /** Default schema of the example, when known. */
  readonly schema: string | null;
  /** Why there is no example (which sources were looked at), when there is none. */
  readonly exampleMissing?: string;
}

export interface ColumnInfo {
  readonly table: string;
  readonly name: string;
  readonly position: number;
  /** Full type as the server prints it, e.g. `bigint(20) unsigned`, `varchar(255)`. */
  readonly columnType: string;
  /** Bare type, lower case: `bigint`, `varchar`, `text`, ... */
  readonly dataType: string;
  readonly nullable: boolean;
  readonly charset: string | null;
  readonly collation: string | null;
  /** COLUMN_DEFAULT as MariaDB prints it (an SQL expression such as `'x'`, `NULL`, `current_timestamp()`), or null for none. */
  readonly defaultExpr: string | null;
  readonly extra: string;
  readonly comment: string;
  readonly maxChars: number | null;
}

export interface IndexInfo {
  readonly table: string;
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly string[];
  /** Prefix lengths by column position (null = whole column). */
  readonly subParts: readonly (number | null)[];
}

export interface ForeignKeyInfo {
  readonly table: string;
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
}

export interface TableInfo {
  readonly name: string;
  readonly engine: string;
  readonly estimatedRows: number;
  readonly dataBytes: number;
  readonly collation: string;
  /** CREATE_OPTIONS as information_schema prints it (e.g. `transactional=0` for a non-crash-safe Aria table). */
  readonly createOptions?: string;
}

/** What the audit knows about the target schema, read from information_schema. */
export interface SchemaCatalog {
  readonly database: string;
  readonly tables: readonly TableInfo[];
  readonly columns: readonly ColumnInfo[];
  readonly indexes: readonly IndexInfo[];
  readonly foreignKeys: readonly ForeignKeyInfo[];
}

/** Facts measured from the data of one column. */
export interface ColumnProfile {
  readonly table: string;
  readonly column: string;
  /** Rows looked at (all, or the first N when the table is larger than the sampling limit). */
  readonly rowsProfiled: number;
  readonly sampled: boolean;
  readonly nullCount: number;
  /** For integer columns. */
  readonly minValue: number | null;
  readonly maxValue: number | null;
  /** For string columns. */
  readonly maxLength: number | null;
  readonly minLength: number | null;
  /** Distinct non-NULL values (strings and integers), null when not measured. */
  readonly distinctCount: number | null;
  /** Non-NULL string values that look like a code (letters, digits, `_.:-`, no spaces), null when not measured. */
  readonly codeLikeCount: number | null;
}

export type FindingKind =
  | 'duplicate-index'
  | 'redundant-index'
  | 'unused-index'
  | 'missing-primary-key'
  | 'non-innodb-table'
  | 'join-column-mismatch'
  | 'utf8mb3-table'
  | 'unindexed-foreign-key'
  | 'oversized-column'
  | 'never-null-column';

/** One schema problem, with the DDL that fixes it (if any). */
export interface Finding {
  readonly kind: FindingKind;
  readonly table: string;
  /** Column or index the finding is about, when it is about one. */
  readonly object: string | null;
  readonly detail: string;
  readonly fix: DdlChange | null;
}

/** One change to one table; the migration writer merges changes of a table where it can. */
export interface DdlChange {
  readonly table: string;
  readonly kind: 'add-index' | 'drop-index' | 'modify-column' | 'engine' | 'add-primary-key' | 'convert-charset';
  /** The clause after `ALTER TABLE t`, e.g. `ADD INDEX idx (a, b)`. */
  readonly clause: string;
  readonly reason: string;
  /** For modify-column: the column and what changes, so several changes to one column merge into one MODIFY. */
  readonly column?: string;
  readonly overrides?: ColumnOverrides;
  /** For add-index: the indexed columns, so equal proposals from several checks are written once. */
  readonly indexColumns?: readonly string[];
}

export interface ExplainRow {
  readonly id: number | null;
  readonly selectType: string;
  readonly table: string | null;
  readonly type: string | null;
  readonly possibleKeys: string | null;
  readonly key: string | null;
  readonly rows: number | null;
  readonly extra: string | null;
}

/** A predicate no index can serve as written, and how to rewrite it. */
export interface PredicateRewrite {
  readonly kind: 'function-on-column' | 'leading-wildcard' | 'implicit-conversion' | 'or-across-columns';
  readonly table: string;
  readonly columns: readonly string[];
  /** The predicate as written in the example. */
  readonly predicate: string;
  /** Whether an index starts with the (first) column. */
  readonly indexed: boolean;
  readonly advice: string;
  /** The whole example statement, rewritten. */
  readonly rewritten: string;
  /** DDL the rewrite needs (FULLTEXT, generated column, missing index), or null. */
  readonly ddl: string | null;
}

/** EXPLAIN of a top digest's example and the index it would need. */
export interface QueryAdvice {
  readonly fingerprint: string;
  readonly example: string | null;
  readonly explain: readonly ExplainRow[];
  /** Why no EXPLAIN or proposal was made (not a SELECT, no example, parse failure...). */
  readonly note: string | null;
  readonly proposals: readonly IndexProposal[];
  /** Unsargable predicates of the example, each with the rewritten statement. */
  readonly rewrites: readonly PredicateRewrite[];
}

export interface IndexProposal {
  readonly table: string;
  readonly columns: readonly string[];
  readonly equalityColumns: readonly string[];
  readonly rangeColumn: string | null;
  readonly orderByColumns: readonly string[];
  /** EXPLAIN's row estimate for the scanned table now. */
  readonly rowsBefore: number | null;
  /** Estimated rows with the index: table rows / distinct values of the equality columns (measured with COUNT(DISTINCT)), null when not measured. */
  readonly rowsAfterEstimate: number | null;
  readonly how: string;
  readonly change: DdlChange;
  /** The statement the index is designed for (the example, or its sargable rewrite) and the table's alias in it. */
  readonly statement?: string;
  readonly alias?: string;
  /** EXPLAIN on the scratch copy with the index created (`--scratch-database`). */
  readonly scratchCheck?: { readonly key: string | null; readonly rows: number | null; readonly usesProposedIndex: boolean };
}

export interface AuditReport {
  readonly generatedAt: string;
  readonly server: { readonly version: string; readonly uptimeSeconds: number };
  readonly database: string;
  readonly sources: readonly string[];
  readonly digests: readonly Digest[];
  readonly performanceSchemaDigests: readonly Digest[];
  readonly queryAdvice: readonly QueryAdvice[];
  readonly findings: readonly Finding[];
  /** Why a check did not run (e.g. unused indexes when uptime is below the threshold). */
  readonly skippedChecks: readonly string[];
  /** What the audit could not see (with --allow-partial); empty when it saw everything. */
  readonly warnings?: readonly string[];
  readonly migrationFile: string;
}
