/**
 * Reads MariaDB's `ANALYZE FORMAT=JSON` (the statement is executed, so the counts are real, not
 * estimates): for each table, rows read (r_loops x r_rows), the share kept by the WHERE
 * (r_filtered), the access type and key, and whether the query sorted (filesort) or built a
 * temporary table. "It uses an index" is not the verdict; rows read against rows kept is.
 */
export interface TableAccess {
  readonly table: string;
  readonly accessType: string;
  readonly key: string | null;
  /** Rows the engine handed to the server for this table, all loops together. */
  readonly rowsRead: number;
  /** Percentage of those rows the attached condition kept. */
  readonly filteredPercent: number;
}

export interface AnalyzedPlan {
  readonly tables: readonly TableAccess[];
  readonly filesort: boolean;
  readonly temporaryTable: boolean;
}

export function readAnalyzeJson(json: string): AnalyzedPlan {
  const root = JSON.parse(json) as unknown;
  const tables: TableAccess[] = [];
  let filesort = false;
  let temporaryTable = false;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(o)) {
      if (key === 'filesort' || key === 'read_sorted_file') filesort = true;
      if (key === 'temporary_table' || (key === 'using_temporary_table' && value === true)) temporaryTable = true;
      if (key === 'table' && value && typeof value === 'object' && !Array.isArray(value)) {
        const t = value as Record<string, unknown>;
        if (typeof t.table_name === 'string' && !/^<.*>$/.test(t.table_name)) {
          tables.push({
            table: t.table_name,
            accessType: String(t.access_type ?? ''),
            key: typeof t.key === 'string' ? t.key : null,
            rowsRead: Math.round(Number(t.r_loops ?? 1) * Number(t.r_rows ?? 0)),
            filteredPercent: Number(t.r_filtered ?? 100),
          });
        }
      }
      walk(value);
    }
  };
  walk(root);
  return { tables, filesort, temporaryTable };
}
