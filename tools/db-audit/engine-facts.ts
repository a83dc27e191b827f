/**
 * What is true of each storage engine the audit may find, said once so the report never claims
 * what an engine does not do (Aria, for one, is crash-safe; it just has no transactions).
 */
import type { TableInfo } from './types.js';

export function engineFacts(table: TableInfo): string {
  const engine = table.engine.toLowerCase();
  const options = (table.createOptions ?? '').toLowerCase();
  switch (engine) {
    case 'myisam':
      return 'MyISAM: not crash-safe (a crash mid-write can leave the table marked crashed until REPAIR TABLE), no transactions, no foreign keys, table-level locks (a write blocks all reads)';
    case 'aria':
      return /transactional=0/.test(options)
        ? 'Aria with TRANSACTIONAL=0: not crash-safe, no transactions, no foreign keys, table-level locks'
        : 'Aria: crash-safe (TRANSACTIONAL=1, the default), but no multi-statement transactions or ROLLBACK, no foreign keys, table-level locks';
    case 'memory':
      return 'MEMORY: every row is lost at restart, no transactions, table-level locks, no TEXT/BLOB columns';
    case 'csv':
    case 'archive':
      return `${table.engine}: no indexes at all, no transactions; every read scans the table`;
    default:
      return `${table.engine}: not InnoDB; check that it gives the transactions, crash recovery and row locks the app relies on`;
  }
}
