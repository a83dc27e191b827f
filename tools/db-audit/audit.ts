/**
 * Runs the whole audit against one database and returns the report and the migration text.
 * Reads only: every statement goes through ReadOnlySession. Writing files is the CLI's job.
 */
import { readFileSync } from 'node:fs';
import { adviseTopDigests } from './index-advisor.js';
import { AuditError } from './errors.js';
import { profileColumns } from './data-profile.js';
import { rankSlowLogDigests } from './digest-ranking.js';
import { renderMigration } from './migration-writer.js';
import type { AuditOptions } from './options.js';
import { readIndexUsage, readPerformanceSchemaDigests, readServerFacts } from './performance-schema.js';
import { checkPrivileges, findUnseenTables } from './privileges.js';
import { checkOnScratch } from './scratch-check.js';
import { parseQueryShape } from './query-shape.js';
import { ReadOnlySession } from './read-only-session.js';
import { readSchemaCatalog } from './schema-catalog.js';
import { findJoinPredicateMismatches } from './join-predicates.js';
import { analyseSargability } from './sargability.js';
import { runSchemaChecks } from './schema-checks.js';
import { parseSlowLog } from './slow-log-parser.js';
import type { AuditReport, DdlChange, Digest } from './types.js';

export const MIGRATION_FILE = 'migration.sql';

export interface AuditResult {
  readonly report: AuditReport;
  readonly migrationSql: string;
}

export async function runAudit(options: AuditOptions, now: Date = new Date()): Promise<AuditResult> {
  // Parse the slow log first: a bad file should fail before anything connects.
  let slowDigests: Digest[] = [];
  if (options.slowLog) {
    let text: string;
    try {
      text = readFileSync(options.slowLog, 'utf8');
    } catch (error) {
      throw new AuditError(`--slow-log ${options.slowLog}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    slowDigests = rankSlowLogDigests(parseSlowLog(text, options.slowLog));
  }

  const session = await ReadOnlySession.open(options);
  try {
    const server = await readServerFacts(session);
    const catalog = await readSchemaCatalog(session, options.database);
    const privileges = await checkPrivileges(session, options.database, catalog.tables.map((t) => t.name), options.usePerformanceSchema);
    const digestTables = slowDigests.flatMap((d) => (d.example && (!d.schema || d.schema === options.database) ? parseQueryShape(d.example)?.tables.map((t) => t.name) ?? [] : []));
    const visibility = await findUnseenTables(session, options.database, catalog.tables.map((t) => t.name), privileges.performanceSchema, [...new Set(digestTables)]);
    const warnings: string[] = [];
    if (visibility.unseen.length > 0 || !visibility.databaseGrant) {
      const what = visibility.unseen.length > 0
        ? `cannot see ${visibility.unseen.length} table(s) of \`${options.database}\` that exist (performance_schema or the slow log name them): ${visibility.unseen.join(', ')}`
        : `has no SELECT on \`${options.database}\`.* (table-level grants or a role only), so tables it cannot see are not even listed`;
      const message = `'${options.user}' ${what}; the audit covers only ${catalog.tables.length} table(s): ${catalog.tables.map((t) => t.name).join(', ') || 'none'}`;
      if (!options.allowPartial) throw new AuditError(`incomplete view: ${message} (GRANT SELECT ON \`${options.database}\`.* TO the audit user, or pass --allow-partial)`);
      warnings.push(`incomplete view: ${message}`);
    }
    const sources: string[] = [];
    // performance_schema first, before the audit's own reads add digests of their own.
    let psDigests: Digest[] = [];
    let indexUsage: Map<string, number> | null = null;
    if (privileges.performanceSchema) {
      psDigests = await readPerformanceSchemaDigests(session, options.database);
      indexUsage = await readIndexUsage(session, options.database);
      sources.push('performance_schema.events_statements_summary_by_digest');
    }
    if (options.slowLog) sources.push(`slow log ${options.slowLog}`);
    const ranked = options.slowLog ? slowDigests : psDigests;

    const profiles = await profileColumns(session, catalog, options.sampleRows);
    // Columns in unsargable predicates of any digest: their indexes are what the rewrite needs.
    const digestColumns = new Map<string, string>();
    for (const digest of ranked) {
      if (!digest.example) continue;
      for (const r of analyseSargability(digest.example, catalog)) {
        for (const c of r.columns) digestColumns.set(`${r.table}.${c}`, `an unsargable predicate (${r.predicate}) of digest ${digest.fingerprint.slice(0, 100)}`);
      }
    }
    const joinPredicateMismatches = findJoinPredicateMismatches(ranked, catalog);
    // The index on a mismatched join column serves the join once the types agree: keep it.
    for (const m of joinPredicateMismatches) digestColumns.set(`${m.column.table}.${m.column.name}`, `a join predicate with ${m.other.table}.${m.other.name} whose type or charset differs`);
    const checks = runSchemaChecks(
      { catalog, profiles, indexUsage, uptimeSeconds: server.uptimeSeconds, digestColumns, joinPredicateMismatches },
      { unusedIndexMinUptimeSeconds: options.unusedIndexMinUptimeSeconds, minRowsForDataChecks: options.minRowsForDataChecks },
    );
    if (!privileges.performanceSchema && options.usePerformanceSchema) {
      checks.skippedChecks.push('performance_schema digests: performance_schema is OFF on the server (set performance_schema=ON and restart)');
    }
    const advised = (await adviseTopDigests(session, catalog, ranked, { topDigests: options.topDigests, sampleRows: options.sampleRows }))
      .map((advice) => {
        // An index that fits but is not used: point at the mismatch finding that explains it.
        const mismatches = checks.findings.filter((f) => f.kind === 'join-column-mismatch' && advice.note?.includes(`${f.table}: index`));
        if (mismatches.length === 0) return advice;
        return { ...advice, note: `${advice.note}; see join-column-mismatch ${mismatches.map((f) => `${f.table}.${f.object}`).join(', ')}` };
      });
    const queryAdvice = await checkOnScratch(options, advised);

    const changes: DdlChange[] = [
      ...checks.findings.flatMap((f) => (f.fix ? [f.fix] : [])),
      ...queryAdvice.flatMap((a) => a.proposals.map((p) => p.change)),
    ];
    const generatedAt = now.toISOString();
    const migrationSql = renderMigration({ catalog, changes, generatedAt, server: `MariaDB ${server.version} at ${options.host}:${options.port}` });
    return {
      report: {
        generatedAt,
        server,
        database: options.database,
        sources,
        digests: ranked,
        performanceSchemaDigests: options.slowLog ? psDigests : [],
        queryAdvice,
        findings: checks.findings,
        skippedChecks: checks.skippedChecks,
        warnings,
        migrationFile: MIGRATION_FILE,
      },
      migrationSql,
    };
  } finally {
    await session.close();
  }
}
