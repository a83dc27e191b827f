/**
 * Proposals that would damage production are never made: free text narrowed to its longest
 * value, changes to Laravel's own tables, dropping an "unused" index a digest's predicate fix or
 * a foreign key needs (or without the uptime shown), and wrong claims about engines.
 */
import { describe, expect, it } from 'vitest';
import { runSchemaChecks, type SchemaCheckInput } from '../schema-checks.js';
import type { ColumnInfo, ColumnProfile, IndexInfo, TableInfo } from '../types.js';

const ROWS = 5000;
const table = (name: string, engine = 'InnoDB', createOptions = ''): TableInfo => ({ name, engine, estimatedRows: ROWS, dataBytes: ROWS * 100, collation: 'utf8mb4_unicode_ci', createOptions });
const col = (t: string, name: string, columnType: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => {
  const dataType = columnType.replace(/\(.*$/, '').replace(/ unsigned$/, '');
  const isString = /char|text/.test(dataType);
  const maxChars = isString ? Number(/\((\d+)\)/.exec(columnType)?.[1] ?? (dataType === 'longtext' ? 4294967295 : 65535)) : null;
  return { table: t, name, position: 1, columnType, dataType, nullable: false, charset: isString ? 'utf8mb4' : null,
    collation: isString ? 'utf8mb4_unicode_ci' : null, defaultExpr: null, extra: '', comment: '', maxChars, ...extra };
};
const pk = (t: string): IndexInfo => ({ table: t, name: 'PRIMARY', unique: true, columns: ['id'], subParts: [null] });
const idx = (t: string, name: string, columns: string[]): IndexInfo => ({ table: t, name, unique: false, columns, subParts: columns.map(() => null) });
const prof = (t: string, column: string, p: Partial<ColumnProfile>): ColumnProfile => ({ table: t, column, rowsProfiled: ROWS, sampled: false, nullCount: 0,
  minValue: null, maxValue: null, maxLength: null, minLength: null, distinctCount: null, codeLikeCount: null, ...p });
const id = (t: string) => col(t, 'id', 'bigint(20) unsigned', { extra: 'auto_increment' });
const options = { unusedIndexMinUptimeSeconds: 0, minRowsForDataChecks: 100 };
const keys = (input: SchemaCheckInput) => runSchemaChecks(input, options).findings.map((f) => `${f.kind} ${f.table}${f.object ? `.${f.object}` : ''}`);
const noUsage = new Map<string, number>();

describe('narrowing needs evidence of codes', () => {
  const catalog = {
    database: 'shop', foreignKeys: [],
    tables: [table('webhook_events')],
    columns: [id('webhook_events'), col('webhook_events', 'payload', 'longtext'), col('webhook_events', 'error_message', 'text'),
      col('webhook_events', 'slug', 'varchar(255)'), col('webhook_events', 'country', 'varchar(255)'), col('webhook_events', 'status', 'varchar(255)'),
      col('webhook_events', 'is_test', 'int(11)'), col('webhook_events', 'retried', 'bigint(20)')],
    indexes: [pk('webhook_events')],
  };
  const profiles = [
    // Free text: short today, but unique per row or with spaces.
    prof('webhook_events', 'payload', { maxLength: 180, minLength: 20, distinctCount: ROWS, codeLikeCount: 0 }),
    prof('webhook_events', 'error_message', { maxLength: 120, minLength: 10, distinctCount: 3000, codeLikeCount: 0 }),
    prof('webhook_events', 'slug', { maxLength: 40, minLength: 8, distinctCount: ROWS, codeLikeCount: ROWS }),
    // Codes: a closed, repeated set.
    prof('webhook_events', 'country', { maxLength: 2, minLength: 2, distinctCount: 12, codeLikeCount: ROWS }),
    prof('webhook_events', 'status', { maxLength: 9, minLength: 4, distinctCount: 4, codeLikeCount: ROWS }),
    prof('webhook_events', 'is_test', { minValue: 0, maxValue: 1, distinctCount: 2 }),
    prof('webhook_events', 'retried', { minValue: 0, maxValue: 1, distinctCount: 2 }),
  ];
  const { findings } = runSchemaChecks({ catalog, profiles, indexUsage: null, uptimeSeconds: 0 }, options);
  const fix = (column: string) => findings.find((f) => f.object === column)?.fix?.clause;

  it('never narrows LONGTEXT payloads, TEXT messages or slugs to their current longest value', () => {
    expect(fix('payload')).toBeUndefined();
    expect(fix('error_message')).toBeUndefined();
    expect(fix('slug')).toBeUndefined();
  });
  it('gives codes and flags the fitting type, with headroom where the length varies', () => {
    expect(fix('country')).toBe('MODIFY `country` char(2) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
    expect(fix('status')).toBe('MODIFY `status` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
    expect(fix('is_test')).toBe('MODIFY `is_test` tinyint(1) NOT NULL');
    expect(fix('retried')).toBe('MODIFY `retried` tinyint(1) NOT NULL');
  });
});

describe("Laravel's own tables", () => {
  const framework = ['jobs', 'failed_jobs', 'job_batches', 'cache', 'cache_locks', 'sessions', 'migrations', 'password_reset_tokens'];
  const catalog = {
    database: 'shop', foreignKeys: [],
    // MyISAM, no primary key, a short LONGTEXT and a duplicate index: all would be findings on an app table.
    tables: [...framework, 'app_events'].map((t) => table(t, 'MyISAM')),
    columns: [...framework, 'app_events'].flatMap((t) => [col(t, 'payload', 'longtext'), col(t, 'queue', 'varchar(255)')]),
    indexes: [...framework, 'app_events'].flatMap((t) => [idx(t, `${t}_queue_index`, ['queue']), idx(t, `${t}_queue_dup`, ['queue'])]),
  };
  const profiles = [...framework, 'app_events'].flatMap((t) => [
    prof(t, 'payload', { maxLength: 10, minLength: 10, distinctCount: 2, codeLikeCount: ROWS }),
    prof(t, 'queue', { maxLength: 7, minLength: 7, distinctCount: 1, codeLikeCount: ROWS }),
  ]);
  const input = { catalog, profiles, indexUsage: noUsage, uptimeSeconds: 30 * 86_400 };

  it('are left alone, and the report says so', () => {
    const found = keys(input);
    expect(found.filter((k) => framework.some((t) => k.split(' ')[1]!.split('.')[0] === t))).toEqual([]);
    expect(found.some((k) => k.startsWith('non-innodb-table app_events'))).toBe(true);
    expect(runSchemaChecks(input, options).skippedChecks.join('\n')).toContain(`Laravel framework tables left alone (their schema belongs to the framework's migrations): ${framework.join(', ')}`);
  });
});

describe('unused indexes', () => {
  const catalog = {
    database: 'shop',
    tables: [table('accounts'), table('payouts')],
    columns: [id('accounts'), id('payouts'), col('payouts', 'account_ref', 'bigint(20) unsigned'), col('payouts', 'paid_on', 'datetime'), col('payouts', 'note', 'varchar(40)')],
    indexes: [pk('accounts'), pk('payouts'), idx('payouts', 'idx_payouts_account_ref', ['account_ref']), idx('payouts', 'idx_payouts_paid_on', ['paid_on']), idx('payouts', 'idx_payouts_note', ['note'])],
    foreignKeys: [{ table: 'payouts', name: 'fk_payouts_account', columns: ['account_ref'], referencedTable: 'accounts', referencedColumns: ['id'] }],
  };
  const digestColumns = new Map([['payouts.paid_on', 'an unsargable predicate (DATE(paid_on) = ?) of digest select ... from payouts where date(paid_on) = ?']]);
  const input = { catalog, profiles: [], indexUsage: noUsage, uptimeSeconds: 9 * 86_400, digestColumns };
  const result = runSchemaChecks(input, options);

  it('never drops an index whose column is in an unsargable predicate of the digests', () => {
    expect(keys(input)).not.toContain('unused-index payouts.idx_payouts_paid_on');
    expect(result.skippedChecks.join('\n')).toContain('unused index payouts.idx_payouts_paid_on kept: payouts.paid_on appears in an unsargable predicate');
  });
  it('never drops the index a foreign key needs', () => {
    expect(keys(input)).not.toContain('unused-index payouts.idx_payouts_account_ref');
    expect(result.skippedChecks.join('\n')).toContain('unused index payouts.idx_payouts_account_ref kept: foreign key fk_payouts_account (account_ref) needs it');
  });
  it('shows the uptime with every drop it proposes', () => {
    const drop = result.findings.find((f) => f.kind === 'unused-index')!;
    expect(drop.object).toBe('idx_payouts_note');
    expect(drop.detail).toContain(`${9 * 86_400} s (9.0 days) of uptime`);
    expect(drop.fix!.reason).toContain(`${9 * 86_400} s (9.0 days) of uptime`);
  });
});

describe('engine wording', () => {
  const catalog = (engine: string, createOptions = '') => ({ database: 'shop', foreignKeys: [], tables: [table('t', engine, createOptions)], columns: [id('t')], indexes: [pk('t')] });
  const detail = (engine: string, createOptions = '') =>
    runSchemaChecks({ catalog: catalog(engine, createOptions), profiles: [], indexUsage: null, uptimeSeconds: 0 }, options).findings.find((f) => f.kind === 'non-innodb-table')!.detail;
  it('says what is true of each engine: Aria is crash-safe, MyISAM is not', () => {
    expect(detail('Aria')).toContain('Aria: crash-safe');
    expect(detail('Aria')).not.toMatch(/no crash recovery|not crash-safe/);
    expect(detail('Aria', 'transactional=0')).toContain('not crash-safe');
    expect(detail('MyISAM')).toContain('MyISAM: not crash-safe');
    expect(detail('MEMORY')).toContain('lost at restart');
  });
});
