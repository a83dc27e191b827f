/**
 * `npm run db:audit -- ...`: audits one database read-only and writes report.md, report.json and
 * migration.sql into --out. Operator mistakes (options, credentials, grants) print one line and
 * exit 2; all three files are written only after the whole audit succeeded.
 */
import { join } from 'node:path';
import { writeFiles } from '../../apps/lib/write-files.js';
import { MIGRATION_FILE, runAudit } from './audit.js';
import { AuditError } from './errors.js';
import { parseAuditOptions } from './options.js';
import { renderJsonReport } from './report-json.js';
import { renderMarkdownReport } from './report-markdown.js';

async function main(): Promise<void> {
  const options = parseAuditOptions(process.argv.slice(2));
  const { report, migrationSql } = await runAudit(options);
  const files: [string, string][] = [
    ['report.md', renderMarkdownReport(report)],
    ['report.json', renderJsonReport(report)],
    [MIGRATION_FILE, migrationSql],
  ];
  // All three or none: a crash never leaves a half-written report.
  writeFiles(options.outDir, new Map(files));
  for (const warning of report.warnings ?? []) console.error(`db-audit: warning: ${warning}`);
  const top = report.digests[0];
  console.log(`db-audit: ${report.findings.length} schema findings, ${report.digests.length} digests` +
    `${top ? ` (top: ${top.totalTime.toFixed(3)} s in ${top.count} runs)` : ''}; wrote ${files.map(([n]) => join(options.outDir, n)).join(', ')}`);
}

main().catch((error: unknown) => {
  if (error instanceof AuditError) {
    console.error(`db-audit: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
