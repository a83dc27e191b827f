/**
 * Re-checks each proposed index on a scratch copy of the schema (`--scratch-database`, which the
 * operator restores from a backup and lets the audit user alter): create the index there, EXPLAIN
 * the statement it is meant for, record which key the optimizer picks and its row estimate, drop
 * the index again. This is the audit's only writing connection, and it only ever names the
 * scratch database, never the audited one.
 */
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { AuditError } from './errors.js';
import type { AuditOptions } from './options.js';
import type { QueryAdvice } from './types.js';

export async function checkOnScratch(options: AuditOptions, advice: readonly QueryAdvice[]): Promise<QueryAdvice[]> {
  const scratch = options.scratchDatabase;
  if (!scratch) return [...advice];
  if (scratch === options.database) throw new AuditError(`--scratch-database ${scratch}: must not be the audited database (the check creates and drops indexes there)`);
  let db: mysql.Connection;
  try {
    db = await mysql.createConnection({
      host: options.host, port: options.port, user: options.user, password: options.password, database: scratch, multipleStatements: false,
      ...(options.tls ? { ssl: { ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key, rejectUnauthorized: true, verifyIdentity: options.tls.verifyIdentity } } : {}),
    });
  } catch (error) {
    throw new AuditError(`--scratch-database ${scratch}: cannot use it (${(error as Error).message})`);
  }
  try {
    const out: QueryAdvice[] = [];
    for (const a of advice) {
      const proposals = [];
      for (const p of a.proposals) {
        const name = /ADD INDEX `([^`]+)`/.exec(p.change.clause)?.[1];
        if (!name || !p.statement) {
          proposals.push(p);
          continue;
        }
        try {
          await db.query(`ALTER TABLE \`${p.table}\` ${p.change.clause}`);
          try {
            const [rows] = await db.query<RowDataPacket[]>(`EXPLAIN ${p.statement}`);
            const row = rows.find((r) => r.table === (p.alias ?? p.table));
            proposals.push({ ...p, scratchCheck: { key: row?.key ?? null, rows: row?.rows === undefined || row.rows === null ? null : Number(row.rows), usesProposedIndex: row?.key === name } });
          } finally {
            await db.query(`ALTER TABLE \`${p.table}\` DROP INDEX \`${name}\``);
          }
        } catch (error) {
          throw new AuditError(`--scratch-database ${scratch}: checking ${p.table}(${p.columns.join(', ')}) failed: ${(error as Error).message}`);
        }
      }
      out.push({ ...a, proposals });
    }
    return out;
  } finally {
    await db.end();
  }
}
