import { describe, expect, it } from 'vitest';
import { renderMarkdownReport } from '../report-markdown.js';
import { renderJsonReport } from '../report-json.js';
import type { AuditReport } from '../types.js';

const report: AuditReport = {
  generatedAt: '2026-11-27T00:00:00.000Z',
  server: { version: '10.11.19-MariaDB', uptimeSeconds: 120 },
  database: 'shop',
  sources: ['slow log slow.log'],
  digests: [{ source: 'slow-log', fingerprint: 'select a from t where b = ?', count: 3, totalTime: 1.5, p95Time: 0.6, rowsExamined: 3000, rowsSent: 3,
    fullScans: 3, tmpDiskTables: 0, example: 'SELECT a FROM t WHERE b = 1', schema: 'shop' }],
  performanceSchemaDigests: [],
  queryAdvice: [{ fingerprint: 'select a from t where b = ?', example: 'SELECT a FROM t WHERE b = 1', note: null,
    explain: [{ id: 1, selectType: 'SIMPLE', table: 't', type: 'eq_ref|filter', possibleKeys: null, key: null, rows: 1000, extra: 'Using where' }],
    proposals: [{ table: 't', columns: ['b'], equalityColumns: ['b'], rangeColumn: null, orderByColumns: [], rowsBefore: 1000, rowsAfterEstimate: 1, how: 'measured',
      change: { table: 't', kind: 'add-index', clause: 'ADD INDEX `idx_t_b` (`b`)', reason: 'scan', indexColumns: ['b'] } }], rewrites: [] }],
  findings: [{ kind: 'non-innodb-table', table: 't', object: null, detail: 'engine MyISAM', fix: { table: 't', kind: 'engine', clause: 'ENGINE=InnoDB', reason: 'x' } }],
  skippedChecks: ['unused indexes: uptime too short'],
  migrationFile: 'migration.sql',
};

describe('report writers', () => {
  const md = renderMarkdownReport(report);
  it('shows the ranking with times, rows and flags', () => {
    expect(md).toContain('| 1 | 1.50 s | 3 | 600.0 ms | 3000 / 3 | 3 | 0 | `` select a from t where b = ? `` |');
  });
  it('shows the plan (escaping table separators), the proposal with rows before/after, findings and skipped checks', () => {
    expect(md).toContain('| t | eq_ref\\|filter |  | 1000 | Using where |');
    expect(md).toContain('**Proposal:** index on `t` (b): equality b, range none, order none. Rows examined: 1000 before, 1 after (measured).');
    expect(md).toContain('### Tables not on InnoDB\n\n- `t`: engine MyISAM. Fix: `` ENGINE=InnoDB ``');
    expect(md).toContain('## Checks not run\n\n- unused indexes: uptime too short');
  });
  it('writes the same content as JSON', () => {
    expect(JSON.parse(renderJsonReport(report))).toEqual(report);
  });
});
