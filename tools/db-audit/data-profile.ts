/**
 * Measures what the columns really hold (NULL count, integer range, shortest and longest string,
 * distinct values, how many values look like codes) with one
 * aggregate query per table. Tables larger than `sampleRows` are profiled on their first
 * `sampleRows` rows and the profile says so: the checks treat sampled facts as hints.
 * Every alias starts with `db_audit_`, which lets the digest reader skip the audit's own queries.
 */
import type { ReadOnlySession } from './read-only-session.js';
import type { ColumnInfo, ColumnProfile, SchemaCatalog } from './types.js';

export const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint']);
/** A value that looks like a code or key: no spaces, no punctuation beyond `_.:-` (a status, a country code, a job type). */
export const CODE_PATTERN = '^[[:alnum:]_.:-]+$';
export const STRING_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext']);

function profiled(column: ColumnInfo): boolean {
  return column.nullable || INTEGER_TYPES.has(column.dataType) || STRING_TYPES.has(column.dataType);
}

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

export async function profileColumns(
  session: ReadOnlySession,
  catalog: SchemaCatalog,
  sampleRows: number,
): Promise<ColumnProfile[]> {
  const profiles: ColumnProfile[] = [];
  for (const table of catalog.tables) {
    const columns = catalog.columns.filter((c) => c.table === table.name && profiled(c));
    if (columns.length === 0) continue;
    const sampled = table.estimatedRows > sampleRows;
    const from = sampled
      ? `(SELECT ${columns.map((c) => quote(c.name)).join(', ')} FROM ${quote(catalog.database)}.${quote(table.name)} LIMIT ${Math.floor(sampleRows)}) AS db_audit_sample`
      : `${quote(catalog.database)}.${quote(table.name)}`;
    const aggregates = columns.flatMap((c, i) => {
      const col = quote(c.name);
      const parts = [`SUM(${col} IS NULL) AS db_audit_nulls_${i}`];
      if (INTEGER_TYPES.has(c.dataType)) parts.push(`MIN(${col}) AS db_audit_min_${i}`, `MAX(${col}) AS db_audit_max_${i}`);
      if (INTEGER_TYPES.has(c.dataType) || STRING_TYPES.has(c.dataType)) parts.push(`COUNT(DISTINCT ${col}) AS db_audit_distinct_${i}`);
      if (STRING_TYPES.has(c.dataType)) {
        parts.push(`MAX(CHAR_LENGTH(${col})) AS db_audit_len_${i}`, `MIN(CHAR_LENGTH(${col})) AS db_audit_minlen_${i}`,
          `SUM(${col} REGEXP '${CODE_PATTERN}') AS db_audit_code_${i}`);
      }
      return parts;
    });
    const [row] = await session.rows<Record<string, unknown>>(
      `SELECT COUNT(*) AS db_audit_rows, ${aggregates.join(', ')} FROM ${from}`,
    );
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    columns.forEach((c, i) => {
      profiles.push({
        table: table.name,
        column: c.name,
        rowsProfiled: Number(row!.db_audit_rows),
        sampled,
        nullCount: Number(row![`db_audit_nulls_${i}`] ?? 0),
        minValue: num(row![`db_audit_min_${i}`]),
        maxValue: num(row![`db_audit_max_${i}`]),
        maxLength: num(row![`db_audit_len_${i}`]),
        minLength: num(row![`db_audit_minlen_${i}`]),
        distinctCount: num(row![`db_audit_distinct_${i}`]),
        codeLikeCount: STRING_TYPES.has(c.dataType) ? Number(row![`db_audit_code_${i}`] ?? 0) : null,
      });
    });
  }
  return profiles;
}
