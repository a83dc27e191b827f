/**
 * For the top digests: EXPLAIN the example, and where the plan reads a table without an index
 * (type ALL or a full index scan) design the index the query needs. "Rows before" is EXPLAIN's
 * estimate; "rows after" is the average number of rows per value of the equality columns,
 * measured with COUNT(DISTINCT) (only on tables within the sampling limit, so it stays cheap).
 * Nothing is created: the proposal goes to the migration file.
 */
import { parseQueryShape } from './query-shape.js';
import { designIndex } from './index-proposal.js';
import { addIndexChange } from './schema-checks.js';
import type { ReadOnlySession } from './read-only-session.js';
import type { Digest, ExplainRow, IndexProposal, QueryAdvice, SchemaCatalog } from './types.js';

/** Plans that read every row of the table (or of an index) for each lookup. */
const SCANNING_TYPES = new Set(['ALL', 'index']);
const MIN_SCANNED_ROWS = 100;

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

async function adviseOne(session: ReadOnlySession, catalog: SchemaCatalog, digest: Digest, options: AdvisorOptions): Promise<QueryAdvice> {
  const base = { fingerprint: digest.fingerprint, example: digest.example };
  const none = (note: string): QueryAdvice => ({ ...base, explain: [], note, proposals: [] });
  if (!digest.example) return none('no example statement in the source (performance_schema keeps only normalized text)');
  if (!/^\s*SELECT\b/i.test(digest.example)) return none('not a SELECT: the audit only EXPLAINs reads');
  if (digest.schema && digest.schema !== catalog.database) return none(`ran in schema ${digest.schema}, not the audited database`);

  let explain: ExplainRow[];
  try {
    const rows = await session.rows<Record<string, unknown>>(`EXPLAIN ${digest.example}`);
    explain = rows.map((r) => ({
      id: r.id === null ? null : Number(r.id),
      selectType: String(r.select_type ?? ''),
      table: r.table === null ? null : String(r.table),
      type: r.type === null ? null : String(r.type),
      possibleKeys: r.possible_keys === null ? null : String(r.possible_keys),
      key: r.key === null ? null : String(r.key),
      rows: r.rows === null ? null : Number.parseInt(String(r.rows), 10),
      extra: r.Extra === null || r.Extra === undefined ? null : String(r.Extra),
    }));
  } catch (error) {
    return none(`EXPLAIN failed: ${(error as Error).message}`);
  }

  const shape = parseQueryShape(digest.example);
  if (!shape) return { ...base, explain, note: 'statement shape not analysed (subquery, UNION or unusual syntax): read the EXPLAIN', proposals: [] };

  const proposals: IndexProposal[] = [];
  const notes: string[] = [];
  for (const row of explain) {
    if (!row.table || !row.type || !SCANNING_TYPES.has(row.type) || (row.rows ?? 0) < MIN_SCANNED_ROWS) continue;
    const ref = shape.tables.find((t) => t.alias === row.table || t.name === row.table);
    if (!ref) continue;
    const table = catalog.tables.find((t) => t.name === ref.name);
    if (!table) continue;
    const columns = new Set(catalog.columns.filter((c) => c.table === ref.name).map((c) => c.name));
    const design = designIndex(shape, ref, columns);
    if (!design) {
      notes.push(`${ref.name}: scanned, but no condition or ORDER BY column an index could use`);
      continue;
    }
    const existing = catalog.indexes.find((i) => i.table === ref.name && design.columns.every((c, k) => i.columns[k] === c));
    if (existing) {
      notes.push(`${ref.name}: index ${existing.name} (${existing.columns.join(', ')}) already fits but the plan does not use it; look for a type or collation mismatch on the compared columns`);
      continue;
    }
    let rowsAfter: number | null = null;
    let how = `rows before: EXPLAIN estimate for ${ref.name}`;
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
    const reason = `top digest scans ${ref.name} (EXPLAIN type ${row.type}, ~${row.rows} rows): ${digest.fingerprint.slice(0, 160)}`;
    proposals.push({
      table: ref.name,
      columns: design.columns,
      equalityColumns: design.equalityColumns,
      rangeColumn: design.rangeColumn,
      orderByColumns: design.orderByColumns,
      rowsBefore: row.rows,
      rowsAfterEstimate: rowsAfter,
      how,
      change: addIndexChange(ref.name, design.columns, reason),
    });
  }
  return { ...base, explain, note: notes.length > 0 ? notes.join('; ') : null, proposals };
}
