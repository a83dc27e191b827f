/**
 * Checks, before any work, that the audit user can read everything the audit needs, by probing
 * with `SELECT ... LIMIT 0` (accurate with roles and column grants, costs nothing). A missing
 * grant stops the audit with one line naming it and the GRANT that fixes it.
 */
import { AuditError } from './errors.js';
import type { ReadOnlySession } from './read-only-session.js';

interface ProbeError {
  code?: string;
  sqlMessage?: string;
}

const DENIED = new Set(['ER_TABLEACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR']);

/** Returns true when the probe ran, false when it was denied; other errors propagate. */
async function canRun(session: ReadOnlySession, sql: string): Promise<boolean> {
  try {
    await session.rows(sql);
    return true;
  } catch (error) {
    if (DENIED.has((error as ProbeError).code ?? '')) return false;
    throw error;
  }
}

export interface PrivilegeCheckResult {
  /** performance_schema is enabled on the server (and readable: otherwise the check throws). */
  readonly performanceSchema: boolean;
}

export async function checkPrivileges(
  session: ReadOnlySession,
  database: string,
  tables: readonly string[],
  needPerformanceSchema: boolean,
): Promise<PrivilegeCheckResult> {
  const user = session.options.user;
  const unreadable: string[] = [];
  for (const table of tables) {
    if (!(await canRun(session, `SELECT 1 AS db_audit_probe FROM \`${database}\`.\`${table}\` LIMIT 0`))) unreadable.push(table);
  }
  if (unreadable.length > 0) {
    const list = unreadable.length > 5 ? `${unreadable.slice(0, 5).join(', ')} and ${unreadable.length - 5} more` : unreadable.join(', ');
    throw new AuditError(
      `missing privilege: SELECT on \`${database}\` (tables ${list}) for '${user}'; grant it with GRANT SELECT ON \`${database}\`.* TO the audit user`,
    );
  }

  const [enabled] = await session.rows<{ db_audit_on: number }>('SELECT @@performance_schema AS db_audit_on');
  if (!needPerformanceSchema || Number(enabled?.db_audit_on) !== 1) return { performanceSchema: false };
  const probes = [
    'SELECT 1 FROM performance_schema.events_statements_summary_by_digest AS db_audit_probe LIMIT 0',
    'SELECT 1 FROM performance_schema.table_io_waits_summary_by_index_usage AS db_audit_probe LIMIT 0',
  ];
  for (const probe of probes) {
    if (!(await canRun(session, probe))) {
      throw new AuditError(
        `missing privilege: SELECT on performance_schema for '${user}' (needed for statement digests and index usage); ` +
          'grant it with GRANT SELECT ON performance_schema.* TO the audit user, or pass --no-performance-schema',
      );
    }
  }
  return { performanceSchema: true };
}

/**
 * Tables of the database the account cannot see. information_schema only lists tables the
 * account has a privilege on, so the catalog alone would look complete. Other witnesses:
 * performance_schema's per-table I/O summary (every table opened since start, whatever the
 * grants) and the tables the digests' examples name. Without a database-level SELECT the list
 * may still be incomplete, and the message says so.
 */
export async function findUnseenTables(
  session: ReadOnlySession,
  database: string,
  visible: readonly string[],
  performanceSchema: boolean,
  digestTables: readonly string[],
): Promise<{ unseen: string[]; databaseGrant: boolean }> {
  const seen = new Set(visible);
  const unseen = new Set<string>();
  if (performanceSchema) {
    const rows = await session.rows<{ name: string }>(
      "SELECT DISTINCT OBJECT_NAME AS name FROM performance_schema.table_io_waits_summary_by_table WHERE OBJECT_SCHEMA = ? AND OBJECT_TYPE = 'TABLE'",
      [database],
    );
    for (const r of rows) if (!seen.has(r.name)) unseen.add(r.name);
  }
  for (const t of digestTables) if (!seen.has(t)) unseen.add(t);
  const grants = (await session.rows<Record<string, string>>('SHOW GRANTS')).map((r) => String(Object.values(r)[0]));
  const quoted = `\`${database.replace(/_/g, '\\_')}\`.*`;
  const databaseGrant = grants.some((g) => /^GRANT (ALL PRIVILEGES|.*\bSELECT\b.*) ON /.test(g) &&
    (g.includes(' ON *.* ') || g.includes(` ON \`${database}\`.* `) || g.includes(` ON ${quoted} `)));
  return { unseen: [...unseen].sort(), databaseGrant };
}
