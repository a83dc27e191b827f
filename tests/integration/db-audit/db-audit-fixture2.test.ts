/**
 * The audit on a database it was not built on (fixture2-schema.sql: other tables, other query
 * shapes, each problem class planted twice, clean tables and queries, Laravel's own tables):
 * precision and recall per class; compared with pt-index-usage; the generated migration and the
 * proposed rewrites applied to a copy, with rows examined before and after for each, no
 * statement failing and no row lost; samples from performance_schema alone.
 */
import { execFile } from 'node:child_process';
import { chmodSync, appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../tools/db-audit/types.js';
import { adminConnection, copyDatabase, measureRowsExamined, migrationStatements, rows, runCli, schemaFingerprint, serverEnv, type CliResult } from './audit-harness.js';
import { loadFixture2 } from './fixture2-loader.js';
import { score, scoreLine } from './precision-recall.js';
import { WORKLOAD2 } from './workload2.js';

const DB = 'sellerhub';
const COPY = 'sellerhub_after';
/** Every planted problem by class (see fixture2-schema.sql and workload2.ts); nothing else may be reported. */
const EXPECTED = {
  'oversized-column': ['sellers.country_code', 'sellers.is_verified'],
  'unused-index': ['sellers.idx_sellers_created', 'reviews.idx_reviews_rating'],
  'join-column-mismatch': ['bank_transfers.payout_ref', 'refunds.payout_number'],
  'utf8mb3-table': ['seller_notes', 'legacy_categories'],
  'non-innodb-table': ['search_cache', 'import_batches'],
  'index-proposal': ['products(status, category, price)', 'messages(is_read, folder, sent_at)'],
  'rewrite:function-on-column': ['payouts.paid_at', 'reviews.created_at'],
  'rewrite:leading-wildcard': ['reviews.body', 'sellers.email'],
  'rewrite:implicit-conversion': ['payouts.reference', 'products.sku'],
  'rewrite:or-across-columns': ['sellers.email+phone', 'messages.sender_id+recipient_id'],
};
const CLEAN_TABLES = ['webhook_calls', 'jobs', 'failed_jobs', 'cache', 'sessions'];

const work = mkdtempSync(join(tmpdir(), 'db-audit-fx2-'));
const figures: string[] = [];
let admin: Connection;
let audit: CliResult;
let report: AuditReport;
let slowLog: string;
let consumersBefore: { name: string; enabled: string }[] = [];
const pwFile = join(work, 'audit.pw');
const args = (out: string, extra: string[] = []) =>
  ['--host', '127.0.0.1', '--port', String(serverEnv().port), '--user', 'db_audit2', '--password-file', pwFile, '--database', DB, '--out', out, ...extra];

async function runWorkload(db: Connection): Promise<void> {
  const maxRuns = Math.max(...WORKLOAD2.map((q) => q.runs));
  for (let i = 0; i < maxRuns; i++) for (const q of WORKLOAD2) if (i < q.runs) await db.query(q.sql, q.params(i));
}

beforeAll(async () => {
  admin = await adminConnection();
  let t = Date.now();
  await loadFixture2(admin, DB);
  figures.push(`fixture 2 load: ${Date.now() - t} ms`);
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  writeFileSync(pwFile, `${password}\n`);
  chmodSync(pwFile, 0o600);
  for (const stmt of ["DROP USER IF EXISTS 'db_audit2'@'127.0.0.1'", "CREATE USER 'db_audit2'@'127.0.0.1' IDENTIFIED BY ?",
    `GRANT SELECT ON \`${DB}\`.* TO 'db_audit2'@'127.0.0.1'`, "GRANT SELECT ON performance_schema.* TO 'db_audit2'@'127.0.0.1'"]) {
    await admin.query(stmt, stmt.includes('?') ? [password] : []);
  }
  consumersBefore = await rows<{ name: string; enabled: string }>(admin, "SELECT NAME AS name, ENABLED AS enabled FROM performance_schema.setup_consumers WHERE NAME LIKE 'events_statements%'");
  // Own slow log; statement history consumers off, as MariaDB starts them.
  slowLog = join(work, 'slow2.log');
  await admin.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'NO' WHERE NAME LIKE 'events_statements_history%'");
  await admin.query('SET GLOBAL slow_query_log_file = ?', [slowLog]);
  await admin.query('SET GLOBAL slow_query_log = ON');
  const app = await adminConnection(DB);
  t = Date.now();
  await runWorkload(app);
  figures.push(`fixture 2 workload: ${WORKLOAD2.reduce((n, q) => n + q.runs, 0)} statements in ${Date.now() - t} ms`);
  await app.end();
  await admin.query('SET GLOBAL slow_query_log = OFF');
  await admin.query('SET GLOBAL slow_query_log_file = ?', [serverEnv().slowLog]);
  t = Date.now();
  audit = await runCli(args(join(work, 'out'), ['--slow-log', slowLog, '--top', '30', '--unused-min-uptime-days', '0']));
  figures.push(`fixture 2 audit run: ${Date.now() - t} ms`);
  if (audit.code === 0) report = JSON.parse(readFileSync(join(work, 'out/report.json'), 'utf8')) as AuditReport;
});

afterAll(async () => {
  if (figures.length > 0) {
    console.log(`db-audit fixture 2 figures:\n${figures.join('\n')}`);
    if (process.env.DB_AUDIT_FIGURES) appendFileSync(process.env.DB_AUDIT_FIGURES, `${figures.join('\n')}\n`);
  }
  if (process.env.DB_AUDIT_KEEP_REPORT2) {
    for (const f of ['report.md', 'report.json', 'migration.sql']) writeFileSync(join(process.env.DB_AUDIT_KEEP_REPORT2, f), readFileSync(join(work, 'out', f)));
  }
  rmSync(work, { recursive: true, force: true });
  // Leave the server as the other test file expects it.
  for (const c of consumersBefore) await admin.query('UPDATE performance_schema.setup_consumers SET ENABLED = ? WHERE NAME = ?', [c.enabled, c.name]);
  await admin?.query('SET GLOBAL slow_query_log = OFF');
  await admin?.end();
});

describe('db-audit on a second fixture of another shape', () => {
  it('runs', () => {
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
  });

  it('finds every planted problem, class by class, and nothing else (precision and recall 1.00)', () => {
    const scores = score(EXPECTED, report);
    for (const s of scores) figures.push(scoreLine('fixture 2', s));
    expect(scores.filter((s) => s.precision < 1 || s.recall < 1).map((s) => scoreLine('fixture 2', s))).toEqual([]);
    expect(report.findings.filter((f) => CLEAN_TABLES.includes(f.table))).toEqual([]);
  });

  it('says Aria is crash-safe and MyISAM is not', () => {
    const engine = (t: string) => report.findings.find((f) => f.kind === 'non-innodb-table' && f.table === t)!.detail;
    expect(engine('search_cache')).toContain('Aria: crash-safe');
    expect(engine('import_batches')).toContain('MyISAM: not crash-safe');
  });

  it('keeps the unused indexes that unsargable predicates, mismatched joins or foreign keys need, and says why', () => {
    const kept = report.skippedChecks.filter((s) => s.startsWith('unused index'));
    for (const index of ['payouts.idx_payouts_paid_at', 'reviews.idx_reviews_created', 'sellers.idx_sellers_email', 'products.idx_products_sku',
      'bank_transfers.idx_bank_transfers_payout_ref', 'products.idx_products_seller']) {
      expect(kept.some((s) => s.startsWith(`unused index ${index} kept:`))).toBe(true);
    }
  });

  it('re-checks each proposed index by EXPLAIN on a scratch copy, and changes neither database', async () => {
    const SCRATCH = 'sellerhub_scratch';
    await copyDatabase(admin, DB, SCRATCH);
    await admin.query(`GRANT SELECT, INDEX, ALTER ON \`${SCRATCH}\`.* TO 'db_audit2'@'127.0.0.1'`);
    try {
      const audited = await schemaFingerprint(admin, DB);
      const scratch = await schemaFingerprint(admin, SCRATCH);
      const out = join(work, 'out-scratch');
      const result = await runCli(args(out, ['--slow-log', slowLog, '--top', '30', '--unused-min-uptime-days', '0', '--scratch-database', SCRATCH]));
      expect(result.code).toBe(0);
      const checked = (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as AuditReport).queryAdvice.flatMap((a) => a.proposals);
      expect(checked.length).toBe(EXPECTED['index-proposal'].length);
      for (const p of checked) {
        figures.push(`scratch copy: ${p.table}(${p.columns.join(', ')}): EXPLAIN picks ${p.scratchCheck?.key} ~${p.scratchCheck?.rows} rows (rows read before: ${p.rowsBefore})`);
        expect(p.scratchCheck?.usesProposedIndex).toBe(true);
        expect(p.scratchCheck!.rows!).toBeLessThan(p.rowsBefore!);
      }
      expect(await schemaFingerprint(admin, DB)).toBe(audited);
      expect(await schemaFingerprint(admin, SCRATCH)).toBe(scratch);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS \`${SCRATCH}\``);
    }
  });

  it('is compared with pt-index-usage on the same slow log', async () => {
    const { socket } = serverEnv();
    const { stdout } = await promisify(execFile)('pt-index-usage', ['--socket', socket, '--user', 'root', '--databases', DB, slowLog], { maxBuffer: 16 * 1024 * 1024 });
    const ptDrops = [...stdout.matchAll(/ALTER TABLE `[^`]+`\.`([^`]+)` DROP KEY `([^`]+)`/g)].map((m) => `${m[1]}.${m[2]}`).sort();
    const ours = report.findings.filter((f) => f.kind === 'unused-index').map((f) => `${f.table}.${f.object}`).sort();
    const harmful = ptDrops.filter((d) => !ours.includes(d));
    const kept = report.skippedChecks.join('\n');
    figures.push(`pt-index-usage proposes dropping ${ptDrops.length} indexes: ${ptDrops.join(', ')}`);
    figures.push(`  of which db-audit keeps ${harmful.length}, each with its reason (unsargable predicate, mismatched join, foreign key, Laravel table): ${harmful.join(', ')}`);
    figures.push(`  db-audit drops ${ours.length}: ${ours.join(', ')}; pt-index-usage does not drop: ${ours.filter((d) => !ptDrops.includes(d)).join(', ') || 'none'}`);
    for (const d of harmful) expect(kept.includes(`unused index ${d} kept:`) || kept.includes(`Laravel framework tables left alone`) && /^(jobs|sessions|cache|failed_jobs)\./.test(d)).toBe(true);
  });

  it('applying migration.sql and the rewrites to a copy: every statement runs, no row is lost, rows examined fall', async () => {
    await copyDatabase(admin, DB, COPY);
    const copy = await adminConnection(COPY);
    const original = await adminConnection(DB);
    try {
      for (const statement of migrationStatements(join(work, 'out/migration.sql'))) await copy.query(statement);
      const rewrites = report.queryAdvice.flatMap((a) => a.rewrites);
      for (const ddl of new Set(rewrites.flatMap((r) => (r.ddl ? r.ddl.split(';\n') : [])))) await copy.query(ddl);
      // No row lost or changed: same count and same values (as text) per table.
      const tables = await rows<{ t: string }>(admin, "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", [DB]);
      for (const { t } of tables) {
        const cols = await rows<{ c: string }>(admin, 'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [DB, t]);
        const list = cols.map(({ c }) => `CAST(\`${c}\` AS CHAR)`).join(', ');
        const [a] = await rows<{ n: number; h: string }>(admin, `SELECT COUNT(*) AS n, SUM(CRC32(CONCAT_WS('|', ${list}))) AS h FROM \`${DB}\`.\`${t}\``);
        const [b] = await rows<{ n: number; h: string }>(admin, `SELECT COUNT(*) AS n, SUM(CRC32(CONCAT_WS('|', ${list}))) AS h FROM \`${COPY}\`.\`${t}\``);
        expect({ table: t, ...b }).toEqual({ table: t, ...a });
      }
      await admin.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME IN ('events_statements_current', 'events_statements_history')");
      const planted = report.queryAdvice.filter((a) => a.proposals.length > 0 || a.rewrites.length > 0 || /already fits/.test(a.note ?? ''));
      for (const advice of planted) {
        const before = advice.example!;
        const after = advice.rewrites[0]?.rewritten ?? before;
        const was = await measureRowsExamined(original, before);
        const now = await measureRowsExamined(copy, after);
        const what = advice.rewrites[0] ? `rewrite ${advice.rewrites[0].kind}` : advice.proposals[0] ? `index ${advice.proposals[0].table}(${advice.proposals[0].columns.join(', ')})` : 'join column type';
        figures.push(`fixture 2 rows examined ${String(was.rowsExamined).padStart(7)} -> ${String(now.rowsExamined).padStart(5)} (rows sent ${was.rowsSent} / ${now.rowsSent}) ${what}: ${before.slice(0, 70)}`);
        expect(now.rowsSent).toBe(was.rowsSent);
        expect(now.rowsExamined).toBeLessThan(was.rowsExamined / 5);
      }
    } finally {
      await copy.end();
      await original.end();
      await admin.query(`DROP DATABASE IF EXISTS \`${COPY}\``);
    }
  });

  it('from performance_schema alone: each digest has a sample or says why not', async () => {
    await admin.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'NO' WHERE NAME LIKE 'events_statements%'");
    const off = await runCli(args(join(work, 'out-ps-off'), ['--top', '3']));
    expect(off.code).toBe(0);
    const offReport = JSON.parse(readFileSync(join(work, 'out-ps-off/report.json'), 'utf8')) as AuditReport;
    expect(offReport.queryAdvice.map((a) => a.note)).toEqual(offReport.queryAdvice.map(() => expect.stringContaining('no sample: the statement history consumers are off')));
    // With history_long on (as the docs tell), the rerun workload leaves samples for the digests.
    await admin.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME IN ('events_statements_current', 'events_statements_history', 'events_statements_history_long')");
    await admin.query('TRUNCATE performance_schema.events_statements_summary_by_digest');
    const app = await adminConnection(DB);
    await runWorkload(app);
    await app.end();
    const on = await runCli(args(join(work, 'out-ps-on'), ['--top', '10']));
    expect(on.code).toBe(0);
    const onReport = JSON.parse(readFileSync(join(work, 'out-ps-on/report.json'), 'utf8')) as AuditReport;
    const [size] = await rows<{ n: number }>(admin, 'SELECT @@performance_schema_events_statements_history_long_size AS n');
    const sampled = (r: AuditReport) => r.digests.slice(0, 10).filter((d) => d.example !== null).length;
    // The history keeps the last N statements: digests that ran early have rotated out, and say so.
    expect(onReport.digests.slice(0, 10).filter((d) => d.example === null).map((d) => d.exampleMissing))
      .toEqual(onReport.digests.slice(0, 10).filter((d) => d.example === null).map(() => expect.stringContaining(`no longer hold this digest (history_long keeps the last ${size!.n} statements`)));
    // Each statement once more (recent activity): now every top digest has a sample.
    const app2 = await adminConnection(DB);
    for (const q of WORKLOAD2) await app2.query(q.sql, q.params(0));
    await app2.end();
    const recent = await runCli(args(join(work, 'out-ps-recent'), ['--top', '10']));
    expect(recent.code).toBe(0);
    const recentReport = JSON.parse(readFileSync(join(work, 'out-ps-recent/report.json'), 'utf8')) as AuditReport;
    figures.push(`performance_schema alone, top 10 digests with a sample: 0 with the consumers off; ${sampled(onReport)} after the ${WORKLOAD2.reduce((n, q) => n + q.runs, 0)}-statement workload (history_long keeps ${size!.n}); ${sampled(recentReport)} once each statement ran again`);
    expect(sampled(recentReport)).toBe(Math.min(10, recentReport.digests.length));
    expect(recentReport.queryAdvice.every((a) => a.example !== null)).toBe(true);
  });
});
