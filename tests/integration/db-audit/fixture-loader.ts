/**
 * Creates the marketplace fixture database and fills it with deterministic, realistic rows
 * (multi-row INSERTs of 2,000 rows: the whole load takes seconds). Row counts are large enough
 * that a missing index turns a lookup into a scan of tens of thousands of rows.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mysql2/promise';

export const FIXTURE_ROWS = {
  accounts: 40,
  items: 10_000,
  variationsPerItem: 3,
  listings: 20_000,
  orders: 20_000,
  linesPerOrder: 3,
  syncJobs: 5_000,
  logsPerJob: 8,
} as const;

/** Small seeded generator (mulberry32): the same data on every run. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MARKETPLACES = ['ebay', 'etsy', 'amazon', 'walmart'];
const BRANDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka'];
const WORDS = ['vintage', 'leather', 'wallet', 'cotton', 'shirt', 'ceramic', 'mug', 'wooden', 'desk',
  'lamp', 'steel', 'bottle', 'wool', 'scarf', 'silver', 'ring', 'canvas', 'tote', 'bag', 'linen'];
const COLORS = ['red', 'blue', 'green', 'black', 'white'];
const SIZES = ['S', 'M', 'L', 'XL'];
const WAREHOUSES = ['WH-BER-1', 'WH-BER-2', 'WH-HAM-1', 'WH-MUC-1', 'WH-KOE-1', 'WH-FRA-1'];
const JOB_TYPES = ['import_listings', 'sync_inventory', 'fetch_orders', 'update_prices'];
const JOB_STATUSES = ['queued', 'running', 'done', 'done', 'done', 'failed'];
const LEVELS = ['info', 'info', 'info', 'warn', 'error'];

export function dateAt(base: Date, minutes: number): string {
  return new Date(base.getTime() + minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

export async function insertRows(db: Connection, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [rows.slice(i, i + 2000)]);
  }
}

function uuid(rand: () => number): string {
  const hex = () => Math.floor(rand() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

/** Drops and recreates `database` and runs the schema file beside this one in it. */
export async function createFixtureSchema(db: Connection, database: string, schemaFile: string): Promise<void> {
  const schemaSql = readFileSync(join(dirname(fileURLToPath(import.meta.url)), schemaFile), 'utf8');
  await db.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await db.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await db.query(`USE \`${database}\``);
  // The generators keep references consistent; skipping the checks makes the load twice as fast.
  await db.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
  for (const statement of schemaSql.replace(/^--.*$/gm, '').split(';').map((s) => s.trim())) {
    if (statement !== '') await db.query(statement);
  }
}

/** Drops and recreates `database`, creates the schema and loads the rows. */
export async function loadFixture(db: Connection, database: string): Promise<void> {
  await createFixtureSchema(db, database, 'fixture-schema.sql');

  const rand = seeded(20261127);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const base = new Date('2025-01-01T00:00:00Z');
  const n = FIXTURE_ROWS;

  await insertRows(db, 'marketplace_accounts', ['marketplace', 'name', 'created_at'],
    Array.from({ length: n.accounts }, (_, i) => [MARKETPLACES[i % MARKETPLACES.length], `Shop ${i + 1}`, dateAt(base, i * 1440)]));

  const title = () => `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${Math.floor(rand() * 1000)}`;
  await insertRows(db, 'items', ['sku', 'title', 'brand', 'created_at'],
    Array.from({ length: n.items }, (_, i) => [`SKU-${String(i + 1).padStart(7, '0')}`, title(), pick(BRANDS), dateAt(base, i * 7)]));

  const variations: unknown[][] = [];
  for (let item = 1; item <= n.items; item++) {
    for (let v = 0; v < n.variationsPerItem; v++) {
      variations.push([item, `SKU-${String(item).padStart(7, '0')}-${v}`,
        rand() < 0.3 ? null : pick(COLORS), rand() < 0.4 ? null : pick(SIZES), (5 + rand() * 200).toFixed(2)]);
    }
  }
  await insertRows(db, 'item_variations', ['item_id', 'sku', 'color', 'size', 'price'], variations);

  await insertRows(db, 'listings', ['marketplace_account_id', 'item_id', 'external_id', 'title', 'price', 'status', 'created_at', 'ended_at'],
    Array.from({ length: n.listings }, (_, i) => {
      const status = rand() < 0.7 ? 'active' : rand() < 0.5 ? 'ended' : 'draft';
      const created = Math.floor(rand() * 400 * 1440);
      return [1 + (i % n.accounts), 1 + Math.floor(rand() * n.items), `EXT-${String(i + 1).padStart(9, '0')}`, title(),
        (5 + rand() * 200).toFixed(2), status, dateAt(base, created), status === 'ended' ? dateAt(base, created + 4000) : null];
    }));

  const variationCount = n.items * n.variationsPerItem;
  await insertRows(db, 'inventory', ['item_variation_id', 'warehouse_code', 'quantity', 'updated_at'],
    Array.from({ length: variationCount }, (_, i) => [i + 1, pick(WAREHOUSES), Math.floor(rand() * 900), dateAt(base, Math.floor(rand() * 400 * 1440))]));

  await insertRows(db, 'orders', ['marketplace_account_id', 'external_order_id', 'status', 'total', 'currency', 'placed_at', 'shipped_at'],
    Array.from({ length: n.orders }, (_, i) => {
      const placed = Math.floor(rand() * 400 * 1440);
      const shipped = rand() < 0.8;
      return [1 + (i % n.accounts), `ORD-${String(i + 1).padStart(10, '0')}`, shipped ? 'shipped' : 'paid',
        (10 + rand() * 500).toFixed(2), pick(['EUR', 'USD', 'GBP']), dateAt(base, placed), shipped ? dateAt(base, placed + 2880) : null];
    }));

  const lines: unknown[][] = [];
  for (let order = 1; order <= n.orders; order++) {
    for (let l = 0; l < n.linesPerOrder; l++) {
      lines.push([order, 1 + Math.floor(rand() * variationCount), 1 + Math.floor(rand() * 5), (5 + rand() * 200).toFixed(2)]);
    }
  }
  await insertRows(db, 'order_lines', ['order_id', 'item_variation_id', 'quantity', 'unit_price'], lines);

  const jobIds: string[] = [];
  await insertRows(db, 'sync_jobs', ['id', 'marketplace_account_id', 'job_type', 'status', 'started_at', 'finished_at'],
    Array.from({ length: n.syncJobs }, (_, i) => {
      const id = uuid(rand);
      jobIds.push(id);
      const status = pick(JOB_STATUSES);
      const started = Math.floor(rand() * 400 * 1440);
      return [id, 1 + (i % n.accounts), pick(JOB_TYPES), status, dateAt(base, started),
        status === 'done' || status === 'failed' ? dateAt(base, started + 15) : null];
    }));

  const logs: unknown[][] = [];
  for (const jobId of jobIds) {
    for (let l = 0; l < n.logsPerJob; l++) {
      const level = pick(LEVELS);
      logs.push([jobId, level, `${level} while syncing: ${title()} ${title()} (attempt ${l + 1})`, dateAt(base, Math.floor(rand() * 400 * 1440))]);
    }
  }
  await insertRows(db, 'sync_logs', ['sync_job_id', 'level', 'message', 'logged_at'], logs);

  await db.query('SET SESSION foreign_key_checks = 1, unique_checks = 1');
  for (const table of ['marketplace_accounts', 'items', 'item_variations', 'listings', 'inventory', 'orders', 'order_lines', 'sync_jobs', 'sync_logs']) {
    await db.query(`ANALYZE TABLE ${table}`);
  }
}
