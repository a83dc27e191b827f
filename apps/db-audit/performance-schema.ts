/**
 * Server-side sources: statement digests (events_statements_summary_by_digest) and reads per
 * index (table_io_waits_summary_by_index_usage), both counted since the server started or the
 * tables were truncated. MariaDB 10.11's performance_schema keeps no per-digest percentiles, so
 * p95 is reported as unknown; examples come from the statement history tables when they hold one.
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
  const appRows = rows.filter((r) => !/db_audit_|information_schema|performance_schema|^\s*(EXPLAIN|SHOW|SET)\b/i.test(String(r.digest_text)));
  const examples = await readExamples(session, appRows.map((r) => String(r.digest)));
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
  })));
}

/** One recent full statement per digest, from whichever history table is being collected. */
async function readExamples(session: ReadOnlySession, digests: string[]): Promise<Map<string, string>> {
  const examples = new Map<string, string>();
  if (digests.length === 0) return examples;
  for (const table of ['events_statements_history_long', 'events_statements_history']) {
    const rows = await session.rows<{ digest: string; sql_text: string }>(
      `SELECT DIGEST AS digest, SQL_TEXT AS sql_text FROM performance_schema.${table} WHERE DIGEST IN (?) AND SQL_TEXT IS NOT NULL`,
      [digests],
    );
    for (const row of rows) if (!examples.has(row.digest)) examples.set(row.digest, row.sql_text);
  }
  return examples;
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
