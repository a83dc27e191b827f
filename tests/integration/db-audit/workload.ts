/**
 * A typical marketplace workload against the fixture: storefront and back-office reads, some of
 * them hitting the planted problems. Literals are inlined (client-side formatting) as most PHP
 * apps send them, so the slow log carries real examples. Each query runs a fixed number of
 * times with varying parameters; the slow ones dominate total time.
 */
import type { Connection } from 'mysql2/promise';
import { FIXTURE_ROWS } from './fixture-loader.js';

export interface WorkloadQuery {
  readonly name: string;
  readonly runs: number;
  /** SQL with `?` placeholders and the values for run i. */
  readonly sql: string;
  readonly params: (i: number) => unknown[];
}

const n = FIXTURE_ROWS;
const WAREHOUSES = ['WH-BER-1', 'WH-BER-2', 'WH-HAM-1', 'WH-MUC-1', 'WH-KOE-1', 'WH-FRA-1'];

export const WORKLOAD: readonly WorkloadQuery[] = [
  { // order_lines.order_id has no index: every call scans all order lines.
    name: 'order lines of an order', runs: 80,
    sql: 'SELECT id, item_variation_id, quantity, unit_price FROM order_lines WHERE order_id = ?',
    params: (i) => [1 + ((i * 7919) % n.orders)] },
  { // No index on (level, logged_at): scan + filesort of all logs.
    name: 'recent errors in sync logs', runs: 40,
    sql: "SELECT id, sync_job_id, message FROM sync_logs WHERE level = 'error' AND logged_at >= ? ORDER BY logged_at DESC LIMIT 50",
    params: (i) => [`2026-01-${String(1 + (i % 28)).padStart(2, '0')} 00:00:00`] },
  { // utf8mb3 sync_job_id vs utf8mb4 sync_jobs.id: the join cannot use idx_sync_logs_job.
    name: 'logs of failed jobs of an account', runs: 8,
    sql: "SELECT j.id, l.level, l.message FROM sync_jobs j JOIN sync_logs l ON l.sync_job_id = j.id WHERE j.marketplace_account_id = ? AND j.status = 'failed'",
    params: (i) => [1 + (i % n.accounts)] },
  { // No index on warehouse_code: scan + filesort of the inventory.
    name: 'stock of a warehouse', runs: 30,
    sql: 'SELECT item_variation_id, quantity FROM inventory WHERE warehouse_code = ? ORDER BY updated_at DESC LIMIT 100',
    params: (i) => [WAREHOUSES[i % WAREHOUSES.length]] },
  { name: 'listing page of an account', runs: 300,
    sql: "SELECT id, title, price FROM listings WHERE marketplace_account_id = ? AND status = 'active' ORDER BY created_at DESC LIMIT 20",
    params: (i) => [1 + (i % n.accounts)] },
  { name: 'recent orders of an account', runs: 200,
    sql: 'SELECT id, external_order_id, total, status FROM orders WHERE marketplace_account_id = ? AND placed_at >= ? ORDER BY placed_at LIMIT 50',
    params: (i) => [1 + (i % n.accounts), `2025-${String(1 + (i % 12)).padStart(2, '0')}-01 00:00:00`] },
  { name: 'item by sku', runs: 300,
    sql: 'SELECT id, title, brand FROM items WHERE sku = ?',
    params: (i) => [`SKU-${String(1 + ((i * 31) % n.items)).padStart(7, '0')}`] },
  { name: 'variations of an item', runs: 300,
    sql: 'SELECT id, sku, color, size, price FROM item_variations WHERE item_id = ?',
    params: (i) => [1 + ((i * 37) % n.items)] },
  { name: 'stock of a variation', runs: 300,
    sql: 'SELECT warehouse_code, quantity FROM inventory WHERE item_variation_id = ?',
    params: (i) => [1 + ((i * 41) % (n.items * n.variationsPerItem))] },
  { name: 'order with its account', runs: 200,
    sql: 'SELECT o.id, o.total, a.name FROM orders o JOIN marketplace_accounts a ON a.id = o.marketplace_account_id WHERE o.id = ?',
    params: (i) => [1 + ((i * 53) % n.orders)] },
];

/** Runs every query of the workload, interleaved the way concurrent pages would mix them. */
export async function runWorkload(db: Connection): Promise<void> {
  const maxRuns = Math.max(...WORKLOAD.map((q) => q.runs));
  for (let i = 0; i < maxRuns; i++) {
    for (const query of WORKLOAD) {
      if (i < query.runs) await db.query(query.sql, query.params(i));
    }
  }
}
