/** The human report: what to look at first (top digests and their fix), then schema findings. */
import type { AuditReport, Digest, Finding } from './types.js';

const seconds = (s: number | null) => (s === null ? 'n/a' : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(1)} ms`);
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
/** Inline code that may itself contain backticks (identifiers in DDL and digest text). */
const code = (text: string, max = 140) => `\`\` ${cell(text.length > max ? `${text.slice(0, max)}…` : text)} \`\``;

function digestTable(digests: readonly Digest[], limit: number): string[] {
  const lines = [
    '| # | total | count | p95 | rows examined / sent | full scans | tmp disk tables | normalized text |',
    '|---|---|---|---|---|---|---|---|',
  ];
  digests.slice(0, limit).forEach((d, i) => {
    lines.push(`| ${i + 1} | ${seconds(d.totalTime)} | ${d.count} | ${seconds(d.p95Time)} | ${d.rowsExamined} / ${d.rowsSent} | ${d.fullScans} | ${d.tmpDiskTables} | ${code(d.fingerprint)} |`);
  });
  return lines;
}

const KIND_TITLES: Record<Finding['kind'], string> = {
  'missing-primary-key': 'Tables without a primary key',
  'non-innodb-table': 'Tables not on InnoDB',
  'duplicate-index': 'Duplicate indexes',
  'redundant-index': 'Redundant indexes (prefix of another)',
  'unused-index': 'Unused indexes',
  'unindexed-foreign-key': 'Foreign key columns without an index',
  'join-column-mismatch': 'Join columns with mismatched type, charset or collation',
  'utf8mb3-table': 'Tables in utf8mb3 (3-byte UTF-8: no emoji, deprecated)',
  'oversized-column': 'Columns far larger than their data',
  'never-null-column': 'Nullable columns that never hold NULL',
};

export function renderMarkdownReport(report: AuditReport): string {
  const out: string[] = [
    `# Database audit: \`${report.database}\``,
    '',
    `Generated ${report.generatedAt} against MariaDB ${report.server.version} (uptime ${report.server.uptimeSeconds} s), read-only.`,
    `Sources: ${report.sources.length > 0 ? report.sources.join('; ') : 'none (schema checks only)'}.`,
    `Proposed DDL: [${report.migrationFile}](${report.migrationFile}) (nothing was applied).`,
    '',
    ...(report.warnings ?? []).map((w) => `**Warning: ${w}.**\n`),
    '## Query digests by total time',
    '',
    'Rows examined much larger than rows sent means the server reads rows it throws away: the first sign of a missing index.',
    '',
    ...(report.digests.length > 0 ? digestTable(report.digests, 20) : ['No digests (no slow log given and performance_schema unavailable or empty).']),
    '',
  ];
  if (report.performanceSchemaDigests.length > 0) {
    out.push('### The same ranking from performance_schema (since server start)', '', ...digestTable(report.performanceSchemaDigests, 10), '');
  }

  out.push('## Top digests: plan and index proposal', '');
  report.queryAdvice.forEach((advice, i) => {
    out.push(`### ${i + 1}. ${code(advice.fingerprint, 100)}`, '');
    if (advice.example) out.push('Example:', '', '```sql', advice.example, '```', '');
    if (advice.explain.length > 0) {
      out.push('| table | type | key | rows | extra |', '|---|---|---|---|---|');
      for (const row of advice.explain) out.push(`| ${[row.table, row.type, row.key, row.rows, row.extra].map((v) => cell(String(v ?? ''))).join(' | ')} |`);
      out.push('');
    }
    for (const p of advice.proposals) {
      out.push(`**Proposal:** index on \`${p.table}\` (${p.columns.join(', ')}): equality ${p.equalityColumns.join(', ') || 'none'}, range ${p.rangeColumn ?? 'none'}, order ${p.orderByColumns.join(', ') || 'none'}. ` +
        `Rows examined: ${p.rowsBefore ?? '?'} before, ${p.rowsAfterEstimate ?? 'not measured'} after (${p.how}).` +
        (p.scratchCheck ? ` On the scratch copy with the index: EXPLAIN picks ${p.scratchCheck.key ?? 'no index'} (~${p.scratchCheck.rows ?? '?'} rows)${p.scratchCheck.usesProposedIndex ? '' : ': not the proposed index, review before applying'}.` : ''), '');
    }
    for (const r of advice.rewrites) {
      out.push(`**Rewrite (${r.kind}):** ${code(r.predicate, 200)} on \`${r.table}\`: ${r.advice}.`, '', '```sql', r.rewritten, '```', '');
      if (r.ddl) out.push('Needs:', '', '```sql', `${r.ddl};`, '```', '');
    }
    if (advice.note) out.push(`Note: ${advice.note}`, '');
    if (advice.proposals.length === 0 && advice.rewrites.length === 0 && !advice.note) out.push('The plan reads about as many rows as it returns; nothing to propose.', '');
  });

  out.push('## Schema findings', '');
  if (report.findings.length === 0) out.push('No findings.', '');
  for (const kind of Object.keys(KIND_TITLES) as Finding['kind'][]) {
    const findings = report.findings.filter((f) => f.kind === kind);
    if (findings.length === 0) continue;
    out.push(`### ${KIND_TITLES[kind]}`, '');
    for (const f of findings) out.push(`- \`${f.table}${f.object ? `.${f.object}` : ''}\`: ${f.detail}.${f.fix ? ` Fix: ${code(f.fix.clause, 400)}` : ''}`);
    out.push('');
  }
  if (report.skippedChecks.length > 0) {
    out.push('## Checks not run', '', ...report.skippedChecks.map((s) => `- ${s}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
