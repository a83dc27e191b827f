/**
 * For the top digests: EXPLAIN the example (rewritten first when a predicate is unsargable), and
 * where the plan reads a table without an index (type ALL or a full index scan), or through an
 * index that returns far more rows than the WHERE keeps or that leaves a filesort (ANALYZE
 * FORMAT=JSON's real counts, and the digest's rows examined per row sent), design the index the
 * query needs. "Rows before" is EXPLAIN's
 * estimate; "rows after" is the average number of rows per value of the equality columns,
 * measured with COUNT(DISTINCT) (only on tables within the sampling limit, so it stays cheap).
 * Nothing is created: the proposal goes to the migration file.
 */
import { isFrameworkTable } from './framework-tables.js';
import { readAnalyzeJson, type AnalyzedPlan } from './plan-analysis.js';
import { parseQueryShape } from './query-shape.js';
import { analyseSargability } from './sargability.js';
import { designIndex } from './index-proposal.js';
import { addIndexChange } from './schema-checks.js';
import type { ReadOnlySession } from './read-only-session.js';
import type { Digest, ExplainRow, IndexProposal, PredicateRewrite, QueryAdvice, SchemaCatalog } from './types.js';

/** Plans that read every row of the table (or of an index) for each lookup. */
const SCANNING_TYPES = new Set(['ALL', 'index']);
const MIN_SCANNED_ROWS = 100;
/** A digest that examines this many rows per row it sends wastes reads... */
const WASTE_RATIO = 10;
/** ...and a table whose WHERE keeps at most this share of the rows its index returned is read through the wrong index. */
const POOR_FILTER_PERCENT = 10;

export interface AdvisorOptions {
  readonly topDigests: number;
  readonly sampleRows: number;
}

export async function adviseTopDigests(
  session: ReadOnlySession,
  catalog: SchemaCatalog,
  digests: readonly Digest[],
  options: AdvisorOptions,
): Promise<QueryAdvice[]> {
  const advice: QueryAdvice[] = [];
  for (const digest of digests.slice(0, options.topDigests)) {
    advice.push(await adviseOne(session, catalog, digest, options));
  }
  return advice;
}

async function explainRows(session: ReadOnlySession, sql: string): Promise<ExplainRow[]> {
  const rows = await session.rows<Record<string, unknown>>(`EXPLAIN ${sql}`);
  return rows.map((r) => ({
    id: r.id === null ? null : Number(r.id),
    selectType: String(r.select_type ?? ''),
    table: r.table === null ? null : String(r.table),
    type: r.type === null ? null : String(r.type),
    possibleKeys: r.possible_keys === null ? null : String(r.possible_keys),
    key: r.key === null ? null : String(r.key),
    rows: r.rows === null ? null : Number.parseInt(String(r.rows), 10),
    extra: r.Extra === null || r.Extra === undefined ? null : String(r.Extra),
  }));
}

/** Real row counts from ANALYZE FORMAT=JSON (MariaDB), or null where the server has no such statement. */
async function analyze(session: ReadOnlySession, sql: string): Promise<AnalyzedPlan | null> {
  try {
    const [row] = await session.rows<Record<string, unknown>>(`ANALYZE FORMAT=JSON ${sql}`);
    const json = row ? Object.values(row)[0] : null;
    return typeof json === 'string' ? readAnalyzeJson(json) : null;
  } catch {
    return null;
  }
}

/** Rewrites that keep a plain SELECT (a range instead of a function, a quoted literal): the index is designed for that form. */
const SARGABLE_FORM = new Set<PredicateRewrite['kind']>(['function-on-column', 'implicit-conversion']);

async function adviseOne(session: ReadOnlySession, catalog: SchemaCatalog, digest: Digest, options: AdvisorOptions): Promise<QueryAdvice> {
  const base = { fingerprint: digest.fingerprint, example: digest.example };
  const none = (note: string): QueryAdvice => ({ ...base, explain: [], note, proposals: [], rewrites: [] });
  if (!digest.example) return none(digest.exampleMissing ?? 'no example statement in the source (performance_schema keeps only normalized text)');
  if (!/^\s*SELECT\b/i.test(digest.example)) return none('not a SELECT: the audit only EXPLAINs reads');
  if (digest.schema && digest.schema !== catalog.database) return none(`ran in schema ${digest.schema}, not the audited database`);

  const rewrites = analyseSargability(digest.example, catalog);
  let explain: ExplainRow[];
  try {
    explain = await explainRows(session, digest.example);
  } catch (error) {
    return { ...none(`EXPLAIN failed: ${(error as Error).message}`), rewrites };
  }
  // Design for the statement as it should be written: the rewritten, sargable form.
  const target = rewrites.find((r) => SARGABLE_FORM.has(r.kind) && r.ddl === null && parseQueryShape(r.rewritten))?.rewritten ?? digest.example;
  const shape = parseQueryShape(target);
  if (!shape) return { ...base, explain, note: 'statement shape not analysed (subquery, UNION or unusual syntax): read the EXPLAIN', proposals: [], rewrites };
  let targetExplain = explain;
  if (target !== digest.example) {
    try {
      targetExplain = await explainRows(session, target);
    } catch {
      targetExplain = explain;
    }
  }
  const plan = await analyze(session, target);
  // Rows examined per row sent, from the digest's real counters (slow log or performance_schema).
  const examinedPerSent = digest.rowsExamined / Math.max(1, digest.rowsSent);
  const wasteful = digest.rowsExamined === 0 || examinedPerSent >= WASTE_RATIO;

  const proposals: IndexProposal[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const row of targetExplain) {
    if (!row.table || !row.type) continue;
    const access = plan?.tables.find((t) => t.table === row.table);
    const rowsRead = access?.rowsRead ?? row.rows ?? 0;
    const scans = SCANNING_TYPES.has(row.type);
    // An index is used, but reads far more rows than the WHERE keeps, or the result is sorted afterwards.
    const poorIndex = access !== undefined && wasteful && (access.filteredPercent <= POOR_FILTER_PERCENT || (plan!.filesort && row === targetExplain[0]));
    if ((!scans && !poorIndex) || rowsRead < MIN_SCANNED_ROWS || seen.has(row.table)) continue;
    seen.add(row.table);
    const ref = shape.tables.find((t) => t.alias === row.table || t.name === row.table);
    if (!ref) continue;
    const table = catalog.tables.find((t) => t.name === ref.name);
    if (!table) continue;
    if (isFrameworkTable(ref.name)) {
      notes.push(`${ref.name}: a Laravel framework table, left alone`);
      continue;
    }
    const columns = new Set(catalog.columns.filter((c) => c.table === ref.name).map((c) => c.name));
    const design = designIndex(shape, ref, columns);
    if (!design) {
      notes.push(`${ref.name}: scanned, but no condition or ORDER BY column an index could use`);
      continue;
    }
    const existing = catalog.indexes.find((i) => i.table === ref.name && design.columns.every((c, k) => i.columns[k] === c));
    if (existing) {
      if (scans) notes.push(`${ref.name}: index ${existing.name} (${existing.columns.join(', ')}) already fits but the plan does not use it; look for a type or collation mismatch on the compared columns`);
      continue;
    }
    let rowsAfter: number | null = null;
    const measured = access ? `rows read ${access.rowsRead} (ANALYZE, ${row.type}${access.key ? ` on ${access.key}` : ''}, ${access.filteredPercent}% kept by the WHERE${plan!.filesort ? ', then filesort' : ''}${plan!.temporaryTable ? ', temporary table' : ''})` : `EXPLAIN estimate ${row.rows}`;
    let how = `rows before: ${measured}; digest: ${digest.rowsExamined} examined / ${digest.rowsSent} sent`;
    if (design.equalityColumns.length > 0 && table.estimatedRows <= options.sampleRows) {
      const cols = design.equalityColumns.map((c) => `\`${c}\``).join(', ');
      const [m] = await session.rows<{ db_audit_rows: number; db_audit_distinct: number }>(
        `SELECT COUNT(*) AS db_audit_rows, COUNT(DISTINCT ${cols}) AS db_audit_distinct FROM \`${catalog.database}\`.\`${ref.name}\``,
      );
      const distinct = Number(m!.db_audit_distinct);
      rowsAfter = distinct > 0 ? Math.ceil(Number(m!.db_audit_rows) / distinct) : 0;
      how += `; rows after: ${m!.db_audit_rows} rows / ${distinct} distinct (${design.equalityColumns.join(', ')}) measured with COUNT(DISTINCT), before any LIMIT`;
    } else {
      how += '; rows after: not measured (no equality column, or table above the sampling limit)';
    }
    const why = scans ? `scans ${ref.name} (type ${row.type})` : `reads ${rowsRead} rows of ${ref.name} through ${row.key ?? 'an index'} and keeps ${access!.filteredPercent}%${plan!.filesort ? ', then sorts' : ''}`;
    const reason = `top digest ${why}, ~${rowsRead} rows: ${digest.fingerprint.slice(0, 160)}`;
    proposals.push({
      table: ref.name,
      columns: design.columns,
      equalityColumns: design.equalityColumns,
      rangeColumn: design.rangeColumn,
      orderByColumns: design.orderByColumns,
      rowsBefore: access?.rowsRead ?? row.rows,
      rowsAfterEstimate: rowsAfter,
      how,
      change: addIndexChange(ref.name, design.columns, reason),
      statement: target,
      alias: ref.alias,
    });
  }
  if (target !== digest.example) notes.push('index designed for the rewritten statement (see the rewrite)');
  return { ...base, explain, note: notes.length > 0 ? notes.join('; ') : null, proposals, rewrites };
}
