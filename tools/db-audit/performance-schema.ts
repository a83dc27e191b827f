/**
 * Server-side sources: statement digests (events_statements_summary_by_digest) and reads per
 * index (table_io_waits_summary_by_index_usage), both counted since the server started or the
 * tables were truncated. MariaDB 10.11's performance_schema keeps no per-digest percentiles, so
 * p95 is reported as unknown; examples come from QUERY_SAMPLE_TEXT (MySQL 8) or the statement
 * event tables (current, history, history_long), and a digest without one says why.
 */
import type { ReadOnlySession } from './read-only-session.js';
import { sortByTotalTime } from './digest-ranking.js';
import type { Digest } from './types.js';

const PICOSECONDS = 1e12;

export async function readPerformanceSchemaDigests(session: ReadOnlySession, database: string): Promise<Digest[]> {
  const rows = await session.rows<Record<string, unknown>>(
    `SELECT DIGEST AS digest, DIGEST_TEXT AS digest_text, COUNT_STAR AS count_star, SUM_TIMER_WAIT AS sum_timer_wait,
            SUM_ROWS_EXAMINED AS rows_examined, SUM_ROWS_SENT AS rows_sent, SUM_NO_INDEX_USED AS no_index_used,
            SUM_CREATED_TMP_DISK_TABLES AS tmp_disk_tables
       FROM performance_schema.events_statements_summary_by_digest
      WHERE SCHEMA_NAME = ? AND DIGEST_TEXT IS NOT NULL`,
    [database],
  );
  // The audit's own statements (information_schema reads, EXPLAIN, profiling aliased db_audit_*) are not the app's workload.
  const appRows = rows.filter((r) => !/db_audit_|information_schema|performance_schema|^\s*(EXPLAIN|ANALYZE|SHOW|SET)\b/i.test(String(r.digest_text)));
  const { examples, missingReason } = await readExamples(session, appRows.map((r) => String(r.digest)));
  return sortByTotalTime(appRows.map((r) => ({
    source: 'performance_schema' as const,
    fingerprint: String(r.digest_text),
    count: Number(r.count_star),
    totalTime: Math.round((Number(r.sum_timer_wait) / PICOSECONDS) * 1e6) / 1e6,
    p95Time: null,
    rowsExamined: Number(r.rows_examined),
    rowsSent: Number(r.rows_sent),
    fullScans: Number(r.no_index_used),
    tmpDiskTables: Number(r.tmp_disk_tables),
    example: examples.get(String(r.digest)) ?? null,
    schema: database,
    ...(examples.has(String(r.digest)) ? {} : { exampleMissing: missingReason }),
  })));
}

/** Where statement samples can come from, in the order they are tried. */
const SAMPLE_TABLES = ['events_statements_current', 'events_statements_history', 'events_statements_history_long'] as const;

export interface ExampleLookup {
  readonly examples: Map<string, string>;
  /** Why a digest has no example: the same for every digest without one. */
  readonly missingReason: string;
}

/**
 * One full statement per digest: MySQL 8.0+ keeps one per digest (QUERY_SAMPLE_TEXT); MariaDB
 * (10.11, 11.x) only in the statement event tables, whose consumers are off by default and which
 * keep the last N statements, so a digest may have none: the reason is stated per digest.
 */
async function readExamples(session: ReadOnlySession, digests: string[]): Promise<ExampleLookup> {
  const examples = new Map<string, string>();
  if (digests.length === 0) return { examples, missingReason: '' };
  try {
    const rows = await session.rows<{ digest: string; sample: string | null }>(
      'SELECT DIGEST AS digest, QUERY_SAMPLE_TEXT AS sample FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST IN (?)', [digests]);
    for (const row of rows) if (row.sample) examples.set(row.digest, row.sample);
  } catch {
    // MariaDB has no QUERY_SAMPLE_TEXT column: fall through to the event tables.
  }
  const consumers = await session.rows<{ name: string; enabled: string }>('SELECT NAME AS name, ENABLED AS enabled FROM performance_schema.setup_consumers');
  const on = new Set(consumers.filter((c) => c.enabled === 'YES').map((c) => c.name));
  for (const table of SAMPLE_TABLES) {
    if (!on.has(table)) continue;
    const rows = await session.rows<{ digest: string; sql_text: string }>(
      `SELECT DIGEST AS digest, SQL_TEXT AS sql_text FROM performance_schema.${table} WHERE DIGEST IN (?) AND SQL_TEXT IS NOT NULL`,
      [digests],
    );
    for (const row of rows) if (!examples.has(row.digest)) examples.set(row.digest, row.sql_text);
  }
  const history = SAMPLE_TABLES.filter((t) => t !== 'events_statements_current' && on.has(t));
  let missingReason: string;
  if (history.length === 0) {
    missingReason = `no sample: the statement history consumers are off (${SAMPLE_TABLES.filter((t) => !on.has(t)).join(', ')}), so performance_schema keeps only the normalized text; ` +
      "enable them (performance_schema_consumer_events_statements_history_long=ON, or UPDATE performance_schema.setup_consumers SET ENABLED='YES' WHERE NAME LIKE 'events_statements%') or pass --slow-log";
  } else {
    const [size] = await session.rows<{ db_audit_size: number }>('SELECT @@performance_schema_events_statements_history_long_size AS db_audit_size');
    missingReason = `no sample: ${history.join(' and ')} ${history.length > 1 ? 'are' : 'is'} on but no longer hold this digest (history_long keeps the last ${size?.db_audit_size ?? '?'} statements, history the last few per thread); ` +
      'raise performance_schema_events_statements_history_long_size or pass --slow-log';
  }
  return { examples, missingReason };
}

/** Reads per index since the server started: `table.index` -> count. */
export async function readIndexUsage(session: ReadOnlySession, database: string): Promise<Map<string, number>> {
  const rows = await session.rows<{ table_name: string; index_name: string; reads: number }>(
    `SELECT OBJECT_NAME AS table_name, INDEX_NAME AS index_name, COUNT_READ AS \`reads\`
       FROM performance_schema.table_io_waits_summary_by_index_usage
      WHERE OBJECT_SCHEMA = ? AND INDEX_NAME IS NOT NULL`,
    [database],
  );
  return new Map(rows.map((r) => [`${r.table_name}.${r.index_name}`, Number(r.reads)]));
}

export async function readServerFacts(session: ReadOnlySession): Promise<{ version: string; uptimeSeconds: number }> {
  const [version] = await session.rows<{ db_audit_version: string }>('SELECT VERSION() AS db_audit_version');
  const status = await session.rows<{ Variable_name: string; Value: string }>("SHOW GLOBAL STATUS LIKE 'Uptime'");
  return { version: version!.db_audit_version, uptimeSeconds: Number(status[0]?.Value ?? 0) };
}
