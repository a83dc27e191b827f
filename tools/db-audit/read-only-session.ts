/**
 * The audit's only way to talk to the server: one connection, switched to a read-only
 * transaction mode, that refuses to send anything but SELECT, EXPLAIN SELECT and SHOW. The server
 * would reject writes in a read-only transaction anyway; the guard also keeps DDL (which
 * READ ONLY does not stop) from ever leaving this process.
 */
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { AuditError } from './errors.js';
import type { TlsOptions } from './options.js';

export interface ConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Server-side cap for every statement the audit sends (MariaDB max_statement_time). */
  readonly maxStatementSeconds: number;
  readonly tls?: TlsOptions | null;
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
      connection = await connect(options, options.database, options.tls ?? null);
    } catch (error) {
      throw await diagnoseConnectError(error, options);
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

type TlsConfig = { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean; verifyIdentity?: boolean };

async function connect(options: ConnectionOptions, database: string | undefined, tls: TlsOptions | null, probeTls = false): Promise<Connection> {
  let ssl: TlsConfig | undefined;
  if (tls) ssl = { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: true, verifyIdentity: tls.verifyIdentity };
  // Only to tell "this account needs TLS" from a bad password; the connection is closed at once.
  else if (probeTls) ssl = { rejectUnauthorized: false };
  return mysql.createConnection({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database,
    connectTimeout: 10_000,
    multipleStatements: false,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    ...(ssl ? { ssl } : {}),
  });
}

const TLS_VERIFY_CODES = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_SIGNATURE_FAILURE|ERR_SSL_.*)$/;

/**
 * Names the real reason a connect failed. MariaDB answers "access denied" both for a bad
 * password and for a REQUIRE SSL account that came without TLS; one TLS attempt tells them apart
 * (the password is never sent in clear: the native and ed25519 plugins send a scramble). For a
 * database the account has no grant on, the server does not say whether it exists: the account's
 * grants are listed so a typo shows.
 */
export async function diagnoseConnectError(error: unknown, options: ConnectionOptions): Promise<Error> {
  const e = (error ?? {}) as MysqlError;
  const where = `${options.host}:${options.port}`;
  if ((e.code === 'ER_ACCESS_DENIED_ERROR' || /insecure transport/i.test(e.sqlMessage ?? '')) && !options.tls) {
    const overTls = await connect(options, undefined, null, true).then(async (c) => { await c.end().catch(() => undefined); return true; }, () => false);
    if (overTls || /insecure transport/i.test(e.sqlMessage ?? '')) {
      return new AuditError(`TLS required: '${options.user}' at ${where} is refused without TLS${overTls ? ' and accepted with it' : ''} (REQUIRE SSL on the account, or require_secure_transport on the server); pass --ssl-ca FILE, the CA that signed the server certificate`);
    }
  }
  if (e.code === 'ER_DBACCESS_DENIED_ERROR') {
    const grants = await connect(options, undefined, options.tls ?? null).then(async (c) => {
      try {
        const [rows] = await c.query<RowDataPacket[]>('SHOW GRANTS');
        return rows.map((r) => String(Object.values(r)[0])).map((g) => /\bON (\S+) TO\b/.exec(g)?.[1]).filter((x): x is string => !!x);
      } finally {
        await c.end().catch(() => undefined);
      }
    }, () => null);
    if (grants) {
      return new AuditError(`database '${options.database}' at ${where}: '${options.user}' has no grant on it, so the server does not say whether it exists; ` +
        `the account's grants cover ${grants.join(', ') || 'nothing'} (check --database, or GRANT SELECT ON \`${options.database}\`.* TO the audit user)`);
    }
  }
  if (e.code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    return new AuditError(`TLS refused at ${where}: the server does not offer TLS, but --ssl-ca asks for it (configure ssl_cert/ssl_key on the server, or drop --ssl-ca on a trusted network)`);
  }
  // Node's TLS errors do not always reach us with their code: the message names the certificate.
  if ((e.code && TLS_VERIFY_CODES.test(e.code)) || (options.tls && /certificate|ssl|tls/i.test(e.message ?? ''))) {
    return new AuditError(`TLS refused at ${where}: the server certificate was not accepted (${[e.code, e.message].filter(Boolean).join(': ')}); check that --ssl-ca is the CA that signed it${options.tls?.verifyIdentity ? ' and that --host is a name in the certificate' : ''}`);
  }
  return describeConnectError(error, options);
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
