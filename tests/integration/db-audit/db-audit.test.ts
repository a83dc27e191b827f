/**
 * The db-audit tool against a real MariaDB (started by tests/suites/70-db-audit.sh): the
 * marketplace fixture with planted problems and clean tables, a typical workload with the slow
 * log on, then the CLI as an operator runs it. Proves: every planted problem is reported and no
 * clean table is flagged; the audit changes nothing; its ranking matches pt-query-digest on the
 * same slow log; applying its migration to a copy makes the slow queries examine fewer rows;
 * operator mistakes give one clear line.
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../tools/db-audit/types.js';
import { adminConnection, copyDatabase, measureRowsExamined, migrationStatements, rows, runCli, schemaFingerprint, serverEnv, type CliResult } from './audit-harness.js';
import { loadFixture } from './fixture-loader.js';
import { score, scoreLine } from './precision-recall.js';
import { runWorkload, WORKLOAD } from './workload.js';

const DB = 'marketplace';
const COPY = 'marketplace_after';
const CLEAN_TABLES = ['marketplace_accounts', 'listings', 'item_variations', 'orders'];
/** kind table.object of every planted problem (see fixture-schema.sql). */
const PLANTED = [
  'duplicate-index items.idx_items_sku',
  'redundant-index items.idx_items_brand',
  'missing-primary-key inventory',
  'oversized-column inventory.quantity',
  'oversized-column inventory.warehouse_code',
  'never-null-column inventory.warehouse_code',
  'unindexed-foreign-key order_lines.order_id',
  'non-innodb-table sync_jobs',
  'oversized-column sync_jobs.status',
  'oversized-column sync_jobs.job_type',
  'join-column-mismatch sync_logs.sync_job_id',
];

const work = mkdtempSync(join(tmpdir(), 'db-audit-test-'));
const figures: string[] = [];
let admin: Connection;
let audit: CliResult;
let serverOnly: CliResult;
let report: AuditReport;
let before: string;

function passwordFile(name: string, password: string): string {
  const file = join(work, name);
  writeFileSync(file, `${password}\n`);
  chmodSync(file, 0o600);
  return file;
}
const auditArgs = (user: string, pwFile: string, out: string, extra: string[] = []) =>
  ['--host', '127.0.0.1', '--port', String(serverEnv().port), '--user', user, '--password-file', pwFile, '--database', DB, '--out', out, ...extra];

beforeAll(async () => {
  admin = await adminConnection();
  let t = Date.now();
  await loadFixture(admin, DB);
  figures.push(`fixture load: ${Date.now() - t} ms`);
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  for (const stmt of [
    "DROP USER IF EXISTS 'db_audit'@'127.0.0.1', 'db_audit_no_ps'@'127.0.0.1', 'db_audit_tls'@'127.0.0.1', 'db_audit_one'@'127.0.0.1'",
    // REQUIRE SSL, as this repo's MariaDB creates its accounts.
    "CREATE USER 'db_audit_tls'@'127.0.0.1' IDENTIFIED BY ? REQUIRE SSL", `GRANT SELECT ON \`${DB}\`.* TO 'db_audit_tls'@'127.0.0.1'`,
    "GRANT SELECT ON performance_schema.* TO 'db_audit_tls'@'127.0.0.1'",
    // SELECT on one table of the database only.
    "CREATE USER 'db_audit_one'@'127.0.0.1' IDENTIFIED BY ?", `GRANT SELECT ON \`${DB}\`.items TO 'db_audit_one'@'127.0.0.1'`,
    "GRANT SELECT ON performance_schema.* TO 'db_audit_one'@'127.0.0.1'",
    "CREATE USER 'db_audit'@'127.0.0.1' IDENTIFIED BY ?", `GRANT SELECT ON \`${DB}\`.* TO 'db_audit'@'127.0.0.1'`,
    "GRANT SELECT ON performance_schema.* TO 'db_audit'@'127.0.0.1'",
    "CREATE USER 'db_audit_no_ps'@'127.0.0.1' IDENTIFIED BY ?", `GRANT SELECT ON \`${DB}\`.* TO 'db_audit_no_ps'@'127.0.0.1'`,
  ]) await admin.query(stmt, stmt.includes('?') ? [password] : []);
  passwordFile('audit.pw', password);
  passwordFile('wrong.pw', 'not-the-password');

  // Workload with the slow log on (long_query_time=0 from the server's start options).
  await admin.query('TRUNCATE performance_schema.events_statements_summary_by_digest');
  await admin.query('SET GLOBAL slow_query_log = ON');
  const app = await adminConnection(DB);
  t = Date.now();
  await runWorkload(app);
  figures.push(`workload: ${WORKLOAD.reduce((n, q) => n + q.runs, 0)} statements in ${Date.now() - t} ms`);
  await app.end();
  await admin.query('SET GLOBAL slow_query_log = OFF');

  before = await schemaFingerprint(admin, DB);
  t = Date.now();
  audit = await runCli(auditArgs('db_audit', join(work, 'audit.pw'), join(work, 'out'), ['--slow-log', serverEnv().slowLog]));
  figures.push(`audit run: ${Date.now() - t} ms`);
  if (audit.code === 0) report = JSON.parse(readFileSync(join(work, 'out/report.json'), 'utf8')) as AuditReport;
  // Second run before the test writes anything else: performance_schema only, unused threshold 0.
  serverOnly = await runCli(auditArgs('db_audit', join(work, 'audit.pw'), join(work, 'out-server-only'), ['--unused-min-uptime-days', '0', '--top', '1']));
});

afterAll(async () => {
  if (figures.length > 0) {
    const text = figures.join('\n');
    console.log(`db-audit figures:\n${text}`);
    if (process.env.DB_AUDIT_FIGURES) writeFileSync(process.env.DB_AUDIT_FIGURES, `${text}\n`);
  }
  // DB_AUDIT_KEEP_REPORT=DIR keeps the fixture's report to look at; the rest goes.
  if (process.env.DB_AUDIT_KEEP_REPORT && existsSync(join(work, 'out'))) cpSync(join(work, 'out'), process.env.DB_AUDIT_KEEP_REPORT, { recursive: true });
  rmSync(work, { recursive: true, force: true });
  await admin?.end();
});

const findingKeys = () => report.findings.map((f) => `${f.kind} ${f.table}${f.object ? `.${f.object}` : ''}`);

describe('db-audit on the marketplace fixture', () => {
  it('runs and writes report.md, report.json and migration.sql', () => {
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
    for (const file of ['report.md', 'report.json', 'migration.sql']) expect(existsSync(join(work, 'out', file))).toBe(true);
    expect(readFileSync(join(work, 'out/report.md'), 'utf8')).toContain('## Schema findings');
  });

  it('changes nothing in the audited database', async () => {
    expect(await schemaFingerprint(admin, DB)).toBe(before);
  });

  it('reports every planted problem', () => {
    expect(findingKeys()).toEqual(expect.arrayContaining(PLANTED));
  });

  it('flags no clean table, and nothing beyond the planted problems', () => {
    expect(report.findings.filter((f) => CLEAN_TABLES.includes(f.table))).toEqual([]);
    expect(report.queryAdvice.flatMap((a) => a.proposals).filter((p) => CLEAN_TABLES.includes(p.table))).toEqual([]);
    expect([...findingKeys()].sort()).toEqual([...PLANTED].sort());
  });

  it('precision and recall per class are 1.00 (planted findings and the index proposals of the scanning digests)', () => {
    const expected: Record<string, string[]> = { 'index-proposal': ['order_lines(order_id)', 'sync_logs(level, logged_at)', 'inventory(warehouse_code, updated_at)'] };
    for (const key of PLANTED) (expected[key.split(' ')[0]!] ??= []).push(key.split(' ')[1]!);
    const scores = score(expected, report);
    for (const s of scores) figures.push(scoreLine('fixture 1', s));
    expect(scores.filter((s) => s.precision < 1 || s.recall < 1).map((s) => scoreLine('fixture 1', s))).toEqual([]);
  });

  it('skips unused indexes on a fresh server and states the threshold', () => {
    expect(report.skippedChecks.join('\n')).toMatch(/unused indexes: server uptime \d+ s is below the threshold of 604800 s/);
  });

  it('proposes equality-then-range/order indexes for the scanning top digests', () => {
    const proposals = report.queryAdvice.flatMap((a) => a.proposals.map((p) => `${p.table}(${p.columns.join(', ')})`));
    expect(proposals).toEqual(expect.arrayContaining(['order_lines(order_id)', 'sync_logs(level, logged_at)', 'inventory(warehouse_code, updated_at)']));
    const join = report.queryAdvice.find((a) => a.fingerprint.includes('join sync_logs'))!;
    expect(join.note).toContain('idx_sync_logs_job (sync_job_id) already fits but the plan does not use it');
    for (const p of report.queryAdvice.flatMap((a) => a.proposals)) {
      figures.push(`proposal ${p.table}(${p.columns.join(', ')}): EXPLAIN rows before ${p.rowsBefore}, estimated after ${p.rowsAfterEstimate}`);
      expect(p.rowsAfterEstimate!).toBeLessThan(p.rowsBefore!);
    }
  });

  it('ranks the top 5 digests like pt-query-digest on the same slow log', async () => {
    const { stdout } = await promisify(execFile)('pt-query-digest', ['--output', 'json', '--limit', '20', serverEnv().slowLog], { maxBuffer: 64 * 1024 * 1024 });
    const pt = (JSON.parse(stdout) as { classes: { fingerprint: string; query_count: number; metrics: { Query_time: { sum: string } } }[] }).classes;
    const ours = report.digests.slice(0, 5).map((d) => ({ fingerprint: d.fingerprint, count: d.count }));
    const theirs = pt.slice(0, 5).map((c) => ({ fingerprint: c.fingerprint, count: Number(c.query_count) }));
    expect(ours).toEqual(theirs);
    report.digests.slice(0, 5).forEach((d, i) => {
      expect(d.totalTime).toBeCloseTo(Number(pt[i]!.metrics.Query_time.sum), 5);
      figures.push(`rank ${i + 1}: db-audit ${d.totalTime.toFixed(3)} s / ${d.count}x  pt-query-digest ${Number(pt[i]!.metrics.Query_time.sum).toFixed(3)} s / ${pt[i]!.query_count}x  ${d.fingerprint.slice(0, 70)}`);
    });
  });

  it('reports unused indexes once the uptime threshold is met, and ranks from performance_schema alone', async () => {
    expect(serverOnly.code).toBe(0);
    const fromServer = JSON.parse(readFileSync(join(work, 'out-server-only', 'report.json'), 'utf8')) as AuditReport;
    const unused = fromServer.findings.filter((f) => f.kind === 'unused-index');
    expect(unused.map((f) => `${f.table}.${f.object}`)).toContain('items.idx_items_brand_title');
    // Without --slow-log the ranking comes from performance_schema: same top 4 statements, same order.
    const bare = (text: string) => text.toLowerCase().replace(/[`\s]/g, '');
    expect(fromServer.sources).toEqual(['performance_schema.events_statements_summary_by_digest']);
    expect(fromServer.digests.slice(0, 4).map((d) => bare(d.fingerprint))).toEqual(report.digests.slice(0, 4).map((d) => bare(d.fingerprint)));
  });
  it('applying the migration to a copy makes the slow queries examine fewer rows', async () => {
    await copyDatabase(admin, DB, COPY);
    const copy = await adminConnection(COPY);
    const original = await adminConnection(DB);
    try {
      for (const statement of migrationStatements(join(work, 'out/migration.sql'))) await copy.query(statement);
      // Per-statement history (off by default in MariaDB) gives each statement's ROWS_EXAMINED.
      await admin.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME IN ('events_statements_current', 'events_statements_history')");
      const [engine] = await rows<{ engine: string }>(admin, "SELECT ENGINE AS engine FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'sync_jobs'", [COPY]);
      expect(engine!.engine).toBe('InnoDB');
      for (const advice of report.queryAdvice.slice(0, 4)) {
        const sql = advice.example!;
        const was = await measureRowsExamined(original, sql);
        const now = await measureRowsExamined(copy, sql);
        figures.push(`rows examined ${String(was.rowsExamined).padStart(7)} -> ${String(now.rowsExamined).padStart(5)} (rows sent ${was.rowsSent} / ${now.rowsSent}): ${sql.slice(0, 80)}`);
        expect(now.rowsSent).toBe(was.rowsSent);
        expect(now.rowsExamined).toBeLessThan(was.rowsExamined / 10);
      }
    } finally {
      await copy.end();
      await original.end();
      await admin.query(`DROP DATABASE IF EXISTS \`${COPY}\``);
    }
  });

});

describe('db-audit operator errors', () => {
  const expectOneLine = (result: CliResult, text: string, out: string) => {
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(text);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  };
  it('wrong password', async () => {
    const out = join(work, 'out-wrong');
    expectOneLine(await runCli(auditArgs('db_audit', join(work, 'wrong.pw'), out)), "access denied for user 'db_audit'", out);
  });
  it('unreachable server', async () => {
    const out = join(work, 'out-refused');
    const args = auditArgs('db_audit', join(work, 'audit.pw'), out);
    args[3] = '3399';
    expectOneLine(await runCli(args), 'cannot connect to 127.0.0.1:3399: connection refused', out);
  });
  const tls = (name: string) => join(process.env.DB_AUDIT_TLS_DIR ?? '', name);
  it('an account that requires TLS, without --ssl-ca: TLS named, not the password', async () => {
    const out = join(work, 'out-tls-missing');
    expectOneLine(await runCli(auditArgs('db_audit_tls', join(work, 'audit.pw'), out)), "TLS required: 'db_audit_tls' at 127.0.0.1:", out);
  });
  it('the same account with a wrong password: the password named, not TLS', async () => {
    const out = join(work, 'out-tls-wrong-pw');
    expectOneLine(await runCli(auditArgs('db_audit_tls', join(work, 'wrong.pw'), out)), "access denied for user 'db_audit_tls'", out);
  });
  it('the same account with --ssl-ca: audits over TLS', async () => {
    const out = join(work, 'out-tls');
    const result = await runCli(auditArgs('db_audit_tls', join(work, 'audit.pw'), out, ['--ssl-ca', tls('ca.pem'), '--top', '1']));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  });
  it('a CA that did not sign the server certificate: a TLS refusal', async () => {
    const out = join(work, 'out-tls-other-ca');
    expectOneLine(await runCli(auditArgs('db_audit_tls', join(work, 'audit.pw'), out, ['--ssl-ca', tls('other-ca.pem')])), 'TLS refused at 127.0.0.1:', out);
  });
  it('SELECT on one table of the database: names the tables it could not see and exits 2', async () => {
    const out = join(work, 'out-one');
    const result = await runCli(auditArgs('db_audit_one', join(work, 'audit.pw'), out));
    const [all] = await rows<{ n: number }>(admin, "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", [DB]);
    expectOneLine(result, `'db_audit_one' cannot see ${Number(all!.n) - 1} table(s) of \`${DB}\``, out);
    expect(result.stderr).toContain('order_lines');
    expect(result.stderr).toContain('the audit covers only 1 table(s): items');
    const partial = await runCli(auditArgs('db_audit_one', join(work, 'audit.pw'), out, ['--allow-partial', '--top', '1']));
    expect(partial.code).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as AuditReport).warnings![0]).toContain('incomplete view');
  });
  it('a database that does not exist (or has no grant): said so, with the grants it has', async () => {
    const out = join(work, 'out-no-db');
    const args = auditArgs('db_audit', join(work, 'audit.pw'), out);
    args[args.indexOf(DB)] = 'marketplce';
    expectOneLine(await runCli(args), `database 'marketplce' at 127.0.0.1:${serverEnv().port}: 'db_audit' has no grant on it, so the server does not say whether it exists; the account's grants cover`, out);
  });
  it('a file that is not a slow log (the server error log): rejected', async () => {
    const out = join(work, 'out-not-slow');
    const errorLog = join(serverEnv().slowLog, '../error.log');
    expectOneLine(await runCli(auditArgs('db_audit', join(work, 'audit.pw'), out, ['--slow-log', errorLog])), `${errorLog}: not a slow query log`, out);
  });
  it('missing SELECT on performance_schema', async () => {
    const out = join(work, 'out-no-ps');
    expectOneLine(await runCli(auditArgs('db_audit_no_ps', join(work, 'audit.pw'), out)), "missing privilege: SELECT on performance_schema for 'db_audit_no_ps'", out);
  });
});
