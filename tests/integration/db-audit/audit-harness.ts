/**
 * Test-side helpers: admin connection to the suite's MariaDB, running the CLI as a child process,
 * copying the database and measuring rows examined per statement. The audit tool itself never
 * uses these (they write); only the test does, as the database's owner.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';

const run = promisify(execFile);
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export function serverEnv(): { socket: string; port: number; slowLog: string } {
  const socket = process.env.DB_AUDIT_SOCKET;
  const slowLog = process.env.DB_AUDIT_SLOW_LOG;
  if (!socket || !slowLog) throw new Error('DB_AUDIT_SOCKET / DB_AUDIT_SLOW_LOG unset: run this through tests/suites/70-db-audit.sh');
  return { socket, slowLog, port: Number(process.env.DB_AUDIT_PORT ?? 3307) };
}

export async function adminConnection(database?: string): Promise<Connection> {
  return mysql.createConnection({ socketPath: serverEnv().socket, user: 'root', database, multipleStatements: false });
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run db:audit`'s entry point exactly as an operator would. */
export async function runCli(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'tools/db-audit/cli.ts'), ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export async function rows<T = Record<string, unknown>>(db: Connection, sql: string, params: unknown[] = []): Promise<T[]> {
  const [result] = await db.query<RowDataPacket[]>(sql, params);
  return result as unknown as T[];
}

/** Everything that would change if the audit wrote: table definitions and row checksums. */
export async function schemaFingerprint(db: Connection, database: string): Promise<string> {
  const tables = await rows<{ name: string }>(db, 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [database]);
  const parts: string[] = [];
  for (const { name } of tables) {
    const [create] = await rows<Record<string, string>>(db, `SHOW CREATE TABLE \`${database}\`.\`${name}\``);
    const [sum] = await rows<Record<string, unknown>>(db, `CHECKSUM TABLE \`${database}\`.\`${name}\``);
    parts.push(String(create!['Create Table']).replace(/ AUTO_INCREMENT=\d+/, ''), String(sum!.Checksum));
  }
  return parts.join('\n');
}

/** Copies every table of `from` into a fresh `to` (definitions without foreign keys, and rows). */
export async function copyDatabase(db: Connection, from: string, to: string): Promise<void> {
  await db.query(`DROP DATABASE IF EXISTS \`${to}\``);
  await db.query(`CREATE DATABASE \`${to}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const tables = await rows<{ name: string }>(db, "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", [from]);
  for (const { name } of tables) {
    await db.query(`CREATE TABLE \`${to}\`.\`${name}\` LIKE \`${from}\`.\`${name}\``);
    await db.query(`INSERT INTO \`${to}\`.\`${name}\` SELECT * FROM \`${from}\`.\`${name}\``);
  }
}

/** Splits a migration file into statements (comment lines dropped). */
export function migrationStatements(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith('--')).join('\n')
    .split(/;\s*\n/).map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Runs `sql` and returns the server's own Rows_examined for it (performance_schema statement
 * history of this connection: the same counter the slow log prints) and the rows it returned.
 */
export async function measureRowsExamined(db: Connection, sql: string): Promise<{ rowsExamined: number; rowsSent: number }> {
  const [result] = await db.query<RowDataPacket[]>(sql);
  const [last] = await rows<{ rows_examined: number }>(db,
    `SELECT ROWS_EXAMINED AS rows_examined FROM performance_schema.events_statements_history
      WHERE THREAD_ID = (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID())
        AND SQL_TEXT = ? ORDER BY EVENT_ID DESC LIMIT 1`, [sql]);
  if (!last) throw new Error(`no statement history for: ${sql}`);
  return { rowsExamined: Number(last.rows_examined), rowsSent: result.length };
}
