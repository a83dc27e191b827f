/**
 * The audit's only way to talk to the server: one connection, switched to a read-only
 * transaction mode, that refuses to send anything but SELECT, EXPLAIN SELECT and SHOW. The server
 * would reject writes in a read-only transaction anyway; the guard also keeps DDL (which
 * READ ONLY does not stop) from ever leaving this process.
 */
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { AuditError } from './errors.js';

export interface ConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Server-side cap for every statement the audit sends (MariaDB max_statement_time). */
  readonly maxStatementSeconds: number;
}

// ANALYZE SELECT runs the SELECT (still only a read) and reports real row counts.
const ALLOWED = /^\s*(SELECT\b|(?:EXPLAIN|ANALYZE)\s+(?:EXTENDED\s+|PARTITIONS\s+|FORMAT=\w+\s+)?SELECT\b|SHOW\b)/i;
const WRITING_SELECT = /\bINTO\s+(OUTFILE|DUMPFILE|@)|\bFOR\s+UPDATE\b|\bLOCK\s+IN\s+SHARE\s+MODE\b/i;

/** Throws unless `sql` is a single statement that only reads. */
export function assertReadOnlyStatement(sql: string): void {
  const withoutStrings = sql.replace(/'(?:[^'\\]|\\.|'')*'/g, "''");
  if (!ALLOWED.test(sql) || WRITING_SELECT.test(withoutStrings) || /;\s*\S/.test(withoutStrings)) {
    throw new Error(`db-audit refused to send a statement that is not a plain read: ${sql.slice(0, 120)}`);
  }
}

export class ReadOnlySession {
  private constructor(private readonly connection: Connection, readonly options: ConnectionOptions) {}

  static async open(options: ConnectionOptions): Promise<ReadOnlySession> {
    let connection: Connection;
    try {
      connection = await mysql.createConnection({
        host: options.host,
        port: options.port,
        user: options.user,
        password: options.password,
        database: options.database,
        connectTimeout: 10_000,
        multipleStatements: false,
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: false,
      });
    } catch (error) {
      throw describeConnectError(error, options);
    }
    // The only statements the audit issues that are not reads: they change this session only.
    try {
      await connection.query('SET SESSION TRANSACTION READ ONLY');
      try {
        await connection.query('SET SESSION max_statement_time = ?', [options.maxStatementSeconds]);
      } catch {
        // MySQL names it max_execution_time (milliseconds, SELECT only).
        await connection.query('SET SESSION max_execution_time = ?', [options.maxStatementSeconds * 1000]);
      }
    } catch (error) {
      await connection.end().catch(() => undefined);
      throw new AuditError(`cannot make the session read-only on ${options.host}:${options.port}: ${(error as Error).message}`);
    }
    return new ReadOnlySession(connection, options);
  }

  async rows<T extends object = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    assertReadOnlyStatement(sql);
    const [rows] = await this.connection.query<RowDataPacket[]>(sql, params);
    return rows as unknown as T[];
  }

  async close(): Promise<void> {
    await this.connection.end();
  }
}

interface MysqlError {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  message?: string;
}

/** Turns a failed connect into one line the operator can act on. */
export function describeConnectError(error: unknown, options: ConnectionOptions): Error {
  const e = (error ?? {}) as MysqlError;
  const where = `${options.host}:${options.port}`;
  switch (e.code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return new AuditError(`access denied for user '${options.user}' at ${where}: wrong user or password (check --user and --password-file)`);
    case 'ER_DBACCESS_DENIED_ERROR':
      return new AuditError(`missing privilege: SELECT on \`${options.database}\`.* for '${options.user}' (GRANT SELECT ON \`${options.database}\`.* TO the audit user)`);
    case 'ER_BAD_DB_ERROR':
      return new AuditError(`database '${options.database}' does not exist on ${where} (check --database)`);
    case 'ECONNREFUSED':
      return new AuditError(`cannot connect to ${where}: connection refused (is MariaDB listening there? check --host and --port)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AuditError(`cannot connect to ${where}: host name '${options.host}' does not resolve (check --host)`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new AuditError(`cannot connect to ${where}: ${e.code === 'ETIMEDOUT' ? 'timed out' : 'unreachable'} (check --host, --port and firewalls)`);
    default:
      return new AuditError(`cannot connect to ${where}: ${e.sqlMessage ?? e.message ?? String(error)}`);
  }
}
