import { describe, expect, it } from 'vitest';
import { findJoinPredicateMismatches } from '../join-predicates.js';
import { runSchemaChecks } from '../schema-checks.js';
import type { ColumnInfo, Digest, SchemaCatalog } from '../types.js';

const str = (table: string, name: string, charset = 'utf8mb4', collation = 'utf8mb4_unicode_ci'): ColumnInfo => ({ table, name, position: 1, columnType: 'varchar(32)',
  dataType: 'varchar', nullable: false, charset, collation, defaultExpr: null, extra: '', comment: '', maxChars: 32 });
const int = (table: string, name: string): ColumnInfo => ({ ...str(table, name), columnType: 'bigint(20)', dataType: 'bigint', charset: null, collation: null, maxChars: null });
const t = (name: string, collation = 'utf8mb4_unicode_ci') => ({ name, engine: 'InnoDB', estimatedRows: 10, dataBytes: 1, collation });
const catalog: SchemaCatalog = {
  database: 'shop', foreignKeys: [],
  tables: [t('payouts'), t('bank_transfers'), t('legacy_notes', 'utf8mb3_general_ci'), t('refunds')],
  // Not named like foreign keys: only the join predicates of the workload show they are joined.
  columns: [int('payouts', 'id'), str('payouts', 'reference'), int('bank_transfers', 'id'), str('bank_transfers', 'payout_ref', 'utf8mb3', 'utf8mb3_general_ci'),
    int('legacy_notes', 'id'), str('legacy_notes', 'body', 'utf8mb3', 'utf8mb3_general_ci'), int('refunds', 'id'), str('refunds', 'payout_number'),
    str('refunds', 'note', 'utf8mb4', 'utf8mb4_unicode_ci')],
  indexes: ['payouts', 'bank_transfers', 'legacy_notes', 'refunds'].map((table) => ({ table, name: 'PRIMARY', unique: true, columns: ['id'], subParts: [null] })),
};
const digest = (example: string): Digest => ({ source: 'slow-log', fingerprint: example.toLowerCase(), count: 1, totalTime: 1, p95Time: 1, rowsExamined: 1, rowsSent: 1,
  fullScans: 0, tmpDiskTables: 0, example, schema: 'shop' });
const digests = [
  digest('SELECT p.id FROM payouts p JOIN bank_transfers b ON b.payout_ref = p.reference WHERE p.id = 3'),
  digest('SELECT r.id FROM refunds r JOIN payouts p ON p.id = r.payout_number WHERE r.id = 1'),
  // Same charset and collation: clean.
  digest('SELECT r.id FROM refunds r JOIN payouts p ON p.reference = r.note'),
];

describe('charset and collation mismatches from the join predicates of the digests', () => {
  const mismatches = findJoinPredicateMismatches(digests, catalog);
  it('finds the mismatched side of each join, whatever it is named', () => {
    expect(mismatches.map((m) => `${m.column.table}.${m.column.name}<>${m.other.table}.${m.other.name}`)).toEqual(['bank_transfers.payout_ref<>payouts.reference', 'refunds.payout_number<>payouts.id']);
  });
  it('proposes the conversion to the other side and reports utf8mb3 tables with CONVERT TO', () => {
    const { findings } = runSchemaChecks({ catalog, profiles: [], indexUsage: null, uptimeSeconds: 0, joinPredicateMismatches: mismatches }, { unusedIndexMinUptimeSeconds: 0, minRowsForDataChecks: 100 });
    const fix = (kind: string, table: string) => findings.find((f) => f.kind === kind && f.table === table)?.fix?.clause;
    expect(fix('join-column-mismatch', 'bank_transfers')).toBe('MODIFY `payout_ref` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
    expect(fix('join-column-mismatch', 'refunds')).toBe('MODIFY `payout_number` bigint(20) NOT NULL');
    // A number joined with a string key: the number side takes the string's type, charset and collation (never the key).
    const withKey = { ...catalog, columns: [...catalog.columns, int('refunds', 'payout_seq')],
      indexes: [...catalog.indexes, { table: 'payouts', name: 'uq_reference', unique: true, columns: ['reference'], subParts: [null] }] };
    const widened = runSchemaChecks({ catalog: withKey, profiles: [], indexUsage: null, uptimeSeconds: 0,
      joinPredicateMismatches: findJoinPredicateMismatches([digest('SELECT r.id FROM refunds r JOIN payouts p ON p.reference = r.payout_seq')], withKey) },
    { unusedIndexMinUptimeSeconds: 0, minRowsForDataChecks: 100 }).findings.find((f) => f.kind === 'join-column-mismatch');
    expect(widened?.fix?.clause).toBe('MODIFY `payout_seq` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
    expect(fix('utf8mb3-table', 'legacy_notes')).toBe('CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    expect(findings.filter((f) => f.kind === 'utf8mb3-table').map((f) => f.table)).toEqual(['legacy_notes']);
  });
});
