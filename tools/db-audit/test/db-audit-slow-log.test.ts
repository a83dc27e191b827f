import { describe, expect, it } from 'vitest';
import { parseSlowLog } from '../slow-log-parser.js';
import { percentile, rankSlowLogDigests } from '../digest-ranking.js';

const LOG = `/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1 (Debian 12). started with:
Tcp port: 3307  Unix socket: /tmp/x/mysqld.sock
Time		    Id Command	Argument
# Time: 261127 21:48:16
# User@Host: app[app] @ localhost []
# Thread_id: 5  Schema: shop  QC_hit: No
# Query_time: 0.500000  Lock_time: 0.000174  Rows_sent: 3  Rows_examined: 60000
# Rows_affected: 0  Bytes_sent: 397
# Full_scan: Yes  Full_join: No  Tmp_table: No  Tmp_table_on_disk: No
# Filesort: No  Filesort_on_disk: No  Merge_passes: 0  Priority_queue: No
use \`shop\`;
SET timestamp=1795816096;
SELECT id FROM order_lines
 WHERE order_id = 1;
# User@Host: app[app] @ localhost []
# Thread_id: 5  Schema: shop  QC_hit: No
# Query_time: 0.700000  Lock_time: 0.000100  Rows_sent: 2  Rows_examined: 60000
# Rows_affected: 0  Bytes_sent: 300
# Full_scan: Yes  Full_join: No  Tmp_table: Yes  Tmp_table_on_disk: Yes
SET timestamp=1795816097;
SELECT id FROM order_lines WHERE order_id = 2;
# Time: 261127 21:48:17
# User@Host: app[app] @ localhost []
# Thread_id: 5  Schema: shop  QC_hit: No
# Query_time: 0.900000  Lock_time: 0.000100  Rows_sent: 1  Rows_examined: 1
SET timestamp=1795816097;
SELECT name FROM items WHERE id = 7;
`;

describe('parseSlowLog', () => {
  it('reads every entry with its attributes, schema and multi-line text', () => {
    const entries = parseSlowLog(LOG, 'slow.log');
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ queryTime: 0.5, rowsSent: 3, rowsExamined: 60000, fullScan: true, tmpDiskTable: false, schema: 'shop', line: 4 });
    expect(entries[0]!.statement).toBe('SELECT id FROM order_lines\n WHERE order_id = 1');
    expect(entries[1]).toMatchObject({ tmpDiskTable: true, statement: 'SELECT id FROM order_lines WHERE order_id = 2' });
    expect(entries[2]!.statement).toBe('SELECT name FROM items WHERE id = 7');
  });
  it('names the file and line of a broken entry', () => {
    expect(() => parseSlowLog('# User@Host: a @ b []\n# Query_time: fast Rows_sent: 1\nSELECT 1;\n', 'bad.log'))
      .toThrow('bad.log:1: Query_time is "fast", not a number');
  });
});

describe('rankSlowLogDigests', () => {
  it('groups by fingerprint and ranks by total time with count, p95, rows and flags', () => {
    const ranked = rankSlowLogDigests(parseSlowLog(LOG, 'slow.log'));
    expect(ranked.map((d) => [d.fingerprint, d.count, d.totalTime])).toEqual([
      ['select id from order_lines where order_id = ?', 2, 1.2],
      ['select name from items where id = ?', 1, 0.9],
    ]);
    expect(ranked[0]).toMatchObject({ p95Time: 0.7, rowsExamined: 120000, rowsSent: 5, fullScans: 2, tmpDiskTables: 1, schema: 'shop' });
    expect(ranked[0]!.example).toBe('SELECT id FROM order_lines WHERE order_id = 2');
  });
  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile([3], 0.95)).toBe(3);
  });
});

describe('a file that is not a slow log', () => {
  it('is rejected with the file name and the reason', () => {
    // A general query log: statements, but no slow log entry headers.
    const general = '251127 21:48:16\t    5 Connect\tapp@localhost on shop\n\t\t    5 Query\tSELECT 1\n';
    expect(() => parseSlowLog(general, 'general.log')).toThrow(`general.log: not a slow query log: no "# Query_time:" entry in ${general.split('\n').length} lines`);
    expect(() => parseSlowLog('id,name\n1,shoe\n', 'export.csv')).toThrow('export.csv: not a slow query log');
  });
  it('accepts an empty slow log and one with only the server banner (nothing was slow yet)', () => {
    expect(parseSlowLog('', 'slow.log')).toEqual([]);
    expect(parseSlowLog('/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1 (Debian 12). started with:\nTcp port: 3307  Unix socket: /tmp/x.sock\nTime\t\t    Id Command\tArgument\n', 'slow.log')).toEqual([]);
  });
});
