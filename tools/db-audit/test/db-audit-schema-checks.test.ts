import { describe, expect, it } from 'vitest';
import { runSchemaChecks, type SchemaCheckInput } from '../schema-checks.js';
import { renderMigration } from '../migration-writer.js';
import type { ColumnInfo, ColumnProfile, IndexInfo, SchemaCatalog, TableInfo } from '../types.js';

const table = (name: string, engine = 'InnoDB', rows = 5000): TableInfo => ({ name, engine, estimatedRows: rows, dataBytes: rows * 100, collation: 'utf8mb4_unicode_ci' });
const col = (t: string, name: string, columnType: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => {
  const dataType = columnType.replace(/\(.*$/, '').replace(/ unsigned$/, '');
  const isString = /char|text/.test(dataType);
  return { table: t, name, position: 1, columnType, dataType, nullable: false, charset: isString ? 'utf8mb4' : null,
    collation: isString ? 'utf8mb4_unicode_ci' : null, defaultExpr: null, extra: '', comment: '', maxChars: isString ? Number(/\((\d+)\)/.exec(columnType)?.[1] ?? 65535) : null, ...extra };
};
const idx = (t: string, name: string, columns: string[], unique = false): IndexInfo => ({ table: t, name, unique, columns, subParts: columns.map(() => null) });
const prof = (t: string, column: string, p: Partial<ColumnProfile>): ColumnProfile => ({ table: t, column, rowsProfiled: 5000, sampled: false, nullCount: 0, minValue: null, maxValue: null, maxLength: null, minLength: null, distinctCount: null, codeLikeCount: null, ...p });

/** A clean pair (accounts/orders) and a problem table (tasks) with one of each planted issue. */
const catalog: SchemaCatalog = {
  database: 'shop',
  tables: [table('accounts'), table('orders'), table('tasks', 'MyISAM'), table('task_logs')],
  columns: [
    col('accounts', 'id', 'int(10) unsigned', { extra: 'auto_increment' }), col('accounts', 'name', 'varchar(120)'),
    col('orders', 'id', 'bigint(20) unsigned', { extra: 'auto_increment' }), col('orders', 'account_id', 'int(10) unsigned'),
    col('orders', 'shipped_at', 'datetime', { nullable: true, defaultExpr: 'NULL' }), col('orders', 'currency', 'char(3)'),
    col('tasks', 'id', 'char(36)'), col('tasks', 'status', 'varchar(255)'), col('tasks', 'kind', 'text'), col('tasks', 'attempts', 'bigint(20)'),
    col('tasks', 'note', 'varchar(100)', { nullable: true, defaultExpr: 'NULL' }),
    col('task_logs', 'task_id', 'char(36)', { charset: 'utf8mb3', collation: 'utf8mb3_general_ci' }), col('task_logs', 'message', 'varchar(500)'),
  ],
  indexes: [
    idx('accounts', 'PRIMARY', ['id'], true), idx('orders', 'PRIMARY', ['id'], true), idx('orders', 'idx_orders_account', ['account_id']),
    idx('tasks', 'PRIMARY', ['id'], true), idx('tasks', 'idx_tasks_status', ['status']), idx('tasks', 'idx_tasks_status_kind', ['status', 'kind']),
    idx('tasks', 'idx_tasks_id', ['id']),
  ],
  foreignKeys: [{ table: 'orders', name: 'fk_orders_account', columns: ['account_id'], referencedTable: 'accounts', referencedColumns: ['id'] }],
};
const profiles: ColumnProfile[] = [
  prof('orders', 'id', { minValue: 1, maxValue: 5000 }), prof('orders', 'account_id', { minValue: 1, maxValue: 40 }),
  prof('orders', 'shipped_at', { nullCount: 900 }), prof('orders', 'currency', { maxLength: 3 }),
  prof('accounts', 'name', { maxLength: 9, rowsProfiled: 40 }),
  prof('tasks', 'status', { maxLength: 7, minLength: 4, distinctCount: 4, codeLikeCount: 5000 }), prof('tasks', 'kind', { maxLength: 15, minLength: 9, distinctCount: 3, codeLikeCount: 5000 }), prof('tasks', 'attempts', { minValue: 0, maxValue: 12 }),
  prof('tasks', 'note', { maxLength: 80 }), prof('task_logs', 'task_id', { maxLength: 36 }), prof('task_logs', 'message', { maxLength: 300 }),
];
const input: SchemaCheckInput = { catalog, profiles, indexUsage: new Map([['tasks.idx_tasks_status_kind', 0], ['orders.idx_orders_account', 9]]), uptimeSeconds: 3600 };
const options = { unusedIndexMinUptimeSeconds: 7 * 86_400, minRowsForDataChecks: 100 };

describe('runSchemaChecks', () => {
  const { findings, skippedChecks } = runSchemaChecks(input, options);
  const summary = findings.map((f) => `${f.kind} ${f.table}${f.object ? `.${f.object}` : ''}`).sort();

  it('reports every planted problem, and nothing on the clean tables', () => {
    expect(summary).toEqual([
      'duplicate-index tasks.idx_tasks_id',
      'join-column-mismatch task_logs.task_id',
      'missing-primary-key task_logs',
      'never-null-column tasks.note',
      'non-innodb-table tasks',
      'oversized-column tasks.attempts',
      'oversized-column tasks.kind',
      'oversized-column tasks.status',
      'redundant-index tasks.idx_tasks_status',
      'unindexed-foreign-key task_logs.task_id',
    ]);
  });
  it('proposes sizes with headroom and keeps the rest of the column definition', () => {
    const fix = (kind: string, object: string) => findings.find((f) => f.kind === kind && f.object === object)!.fix!.clause;
    expect(fix('oversized-column', 'attempts')).toBe('MODIFY `attempts` smallint NOT NULL');
    expect(fix('oversized-column', 'status')).toBe('MODIFY `status` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
    expect(fix('oversized-column', 'kind')).toBe('MODIFY `kind` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
    expect(fix('join-column-mismatch', 'task_id')).toBe('MODIFY `task_id` char(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
    expect(fix('never-null-column', 'note')).toBe('MODIFY `note` varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
  });
  it('skips unused indexes below the uptime threshold and says why', () => {
    expect(skippedChecks[0]).toContain('server uptime 3600 s is below the threshold of 604800 s');
    const later = runSchemaChecks({ ...input, uptimeSeconds: 30 * 86_400 }, options);
    expect(later.findings.filter((f) => f.kind === 'unused-index').map((f) => f.object)).toEqual(['idx_tasks_status_kind']);
  });
  it('does not flag a data check on a table below the row threshold', () => {
    expect(summary.some((s) => s.includes('accounts'))).toBe(false);
  });
});

describe('renderMigration', () => {
  const { findings } = runSchemaChecks(input, options);
  const sql = renderMigration({ catalog, changes: findings.flatMap((f) => (f.fix ? [f.fix] : [])), generatedAt: '2026-01-01T00:00:00.000Z', server: 'test' });
  it('writes one ALTER per table, merging changes to the same column', () => {
    expect(sql.match(/^ALTER TABLE/gm)).toHaveLength(2);
    expect(sql).toContain('ALTER TABLE `task_logs`\n  ADD COLUMN `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST,\n  MODIFY `task_id` char(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,\n  ADD INDEX `idx_task_logs_task_id` (`task_id`);');
    expect(sql).toContain('  ENGINE=InnoDB;');
  });
  it('comments each statement with reason and risk', () => {
    expect(sql).toContain('-- why (engine): engine MyISAM');
    expect(sql).toContain('-- risk: MyISAM has no online DDL');
    expect(sql).toContain('-- risk: ALGORITHM=COPY');
  });
  it('marks index-only changes on InnoDB online and suggests pt-online-schema-change for big rebuilds', () => {
    const big = { ...catalog, tables: catalog.tables.map((t) => (t.name === 'orders' ? { ...t, estimatedRows: 5_000_000 } : t)) };
    const out = renderMigration({ catalog: big, generatedAt: 'x', server: 'x', changes: [
      { table: 'orders', kind: 'add-index', clause: 'ADD INDEX `i` (`currency`)', reason: 'r', indexColumns: ['currency'] },
      { table: 'orders', kind: 'add-index', clause: 'ADD INDEX `j` (`currency`, `id`)', reason: 's', indexColumns: ['currency', 'id'] },
    ] });
    expect(out).toContain('ALTER TABLE `orders`\n  ADD INDEX `j` (`currency`, `id`),\n  ALGORITHM=INPLACE,\n  LOCK=NONE;');
    const rebuild = renderMigration({ catalog: big, generatedAt: 'x', server: 'x', changes: [
      { table: 'orders', kind: 'modify-column', clause: 'MODIFY `currency` char(3) NOT NULL', reason: 'r', column: 'currency', overrides: { type: 'char(3)' } },
    ] });
    expect(rebuild).toContain('pt-online-schema-change --alter "MODIFY `currency` char(3) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL" D=shop,t=orders');
  });
});
