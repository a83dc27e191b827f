import { describe, expect, it } from 'vitest';
import { readAnalyzeJson } from '../plan-analysis.js';

// The shape of MariaDB 10.11's ANALYZE FORMAT=JSON for `WHERE status = ? AND seller_id = ? ORDER BY created_at LIMIT 20`
// through a single-column index on status (trimmed to the keys the reader uses).
const ANALYZE = JSON.stringify({
  query_block: { select_id: 1, r_loops: 1, r_total_time_ms: 21.3,
    read_sorted_file: { r_rows: 20, filesort: { sort_key: 'o.created_at', r_loops: 1, r_limit: 20, r_used_priority_queue: true,
      table: { table_name: 'o', access_type: 'ref', key: 'idx_orders_status', rows: 9000, r_rows: 9500, r_loops: 1, filtered: 100, r_filtered: 1.2,
        attached_condition: 'o.seller_id = 7' } } } },
});

describe('readAnalyzeJson', () => {
  it('reads rows read, the share kept and the filesort from ANALYZE FORMAT=JSON', () => {
    expect(readAnalyzeJson(ANALYZE)).toEqual({ tables: [{ table: 'o', accessType: 'ref', key: 'idx_orders_status', rowsRead: 9500, filteredPercent: 1.2 }], filesort: true, temporaryTable: false });
  });
  it('multiplies rows by loops for the inner table of a join', () => {
    const join = JSON.stringify({ query_block: { nested_loop: [
      { table: { table_name: 'a', access_type: 'ALL', r_loops: 1, r_rows: 40, r_filtered: 100 } },
      { table: { table_name: 'b', access_type: 'ref', key: 'k', r_loops: 40, r_rows: 12.5, r_filtered: 50 } },
    ], temporary_table: { } } });
    expect(readAnalyzeJson(join).tables.map((t) => [t.table, t.rowsRead])).toEqual([['a', 40], ['b', 500]]);
    expect(readAnalyzeJson(join).temporaryTable).toBe(true);
  });
});
