/**
 * Loads the second fixture (fixture2-schema.sql, a seller-payout marketplace): deterministic rows,
 * shaped so each planted problem costs real reads and each clean column looks like what it is
 * (unique slugs, free-text bodies and payloads, 2-letter country codes, 0/1 flags).
 */
import type { Connection } from 'mysql2/promise';
import { createFixtureSchema, dateAt, insertRows, seeded } from './fixture-loader.js';

export const FIXTURE2_ROWS = { sellers: 3000, products: 30_000, payouts: 30_000, transfers: 30_000, refunds: 2000, reviews: 30_000, messages: 30_000, webhooks: 3000 } as const;
export const CATEGORIES = ['garden', 'kitchen', 'toys', 'books', 'music', 'sports', 'office', 'pets', 'beauty', 'tools', 'auto', 'baby', 'games', 'crafts', 'travel', 'shoes'];
export const FOLDERS = ['inbox', 'archive', 'sent', 'spam', 'orders', 'support', 'returns', 'offers', 'drafts', 'billing', 'shipping', 'reviews', 'payouts', 'legal', 'misc', 'promo', 'team', 'vip', 'tax', 'other'];
const COUNTRIES = ['DE', 'FR', 'IT', 'ES', 'NL', 'PL', 'AT', 'BE', 'SE', 'DK', 'CZ', 'PT'];
const STATUSES = ['active', 'sold', 'draft', 'archived'];
const WORDS = ['great', 'quality', 'arrived', 'late', 'perfect', 'fit', 'colour', 'faded', 'happy', 'again', 'cheap', 'sturdy', 'box', 'gift'];

export async function loadFixture2(db: Connection, database: string): Promise<void> {
  await createFixtureSchema(db, database, 'fixture2-schema.sql');
  const rand = seeded(20261202);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const base = new Date('2025-01-01T00:00:00Z');
  const n = FIXTURE2_ROWS;
  const sentence = (words: number) => Array.from({ length: words }, () => pick(WORDS)).join(' ');
  const minute = () => Math.floor(rand() * 400 * 1440);

  await insertRows(db, 'sellers', ['email', 'phone', 'name', 'slug', 'country_code', 'is_verified', 'created_at'],
    Array.from({ length: n.sellers }, (_, i) => [`seller${i + 1}@${i % 7 === 0 ? 'example.org' : 'shop.test'}`, `+49${String(3000000 + i)}`, `Seller ${i + 1}`,
      `seller-${i + 1}-${pick(WORDS)}`, pick(COUNTRIES), rand() < 0.6 ? 1 : 0, dateAt(base, i * 60)]));
  await insertRows(db, 'products', ['seller_id', 'sku', 'title', 'category', 'status', 'price', 'created_at'],
    Array.from({ length: n.products }, (_, i) => [1 + (i % n.sellers), String(100000 + i), `${sentence(3)} ${i}`, pick(CATEGORIES),
      rand() < 0.6 ? 'active' : pick(STATUSES), (3 + rand() * 300).toFixed(2), dateAt(base, minute())]));
  await insertRows(db, 'payouts', ['seller_id', 'reference', 'amount', 'paid_at'],
    Array.from({ length: n.payouts }, (_, i) => [1 + (i % n.sellers), String(500000 + i), (10 + rand() * 900).toFixed(2), dateAt(base, minute())]));
  await insertRows(db, 'bank_transfers', ['payout_ref', 'bank_code', 'booked_at'],
    Array.from({ length: n.transfers }, (_, i) => [String(500000 + i), pick(['DEUTDEFF', 'COBADEFF', 'BNPAFRPP', 'INGBNL2A']), dateAt(base, minute())]));
  await insertRows(db, 'refunds', ['payout_number', 'reason', 'created_at'],
    Array.from({ length: n.refunds }, () => [500000 + Math.floor(rand() * n.payouts), sentence(4), dateAt(base, minute())]));
  await insertRows(db, 'reviews', ['product_id', 'rating', 'body', 'created_at'],
    Array.from({ length: n.reviews }, () => [1 + Math.floor(rand() * n.products), 1 + Math.floor(rand() * 5),
      `${sentence(5)}${rand() < 0.02 ? ' broken' : ''} ${sentence(3)}`, dateAt(base, minute())]));
  await insertRows(db, 'messages', ['sender_id', 'recipient_id', 'folder', 'is_read', 'body', 'sent_at'],
    Array.from({ length: n.messages }, () => [1 + Math.floor(rand() * n.sellers), 1 + Math.floor(rand() * n.sellers), pick(FOLDERS), rand() < 0.5 ? 1 : 0, sentence(8), dateAt(base, minute())]));
  await insertRows(db, 'webhook_calls', ['seller_id', 'payload', 'error_message', 'status', 'created_at'],
    Array.from({ length: n.webhooks }, (_, i) => [1 + (i % n.sellers), JSON.stringify({ event: 'order.created', id: i, total: Math.floor(rand() * 900) }),
      rand() < 0.3 ? `timeout after ${Math.floor(rand() * 30)} s calling the endpoint` : null, rand() < 0.9 ? 'delivered' : 'failed', dateAt(base, minute())]));
  await insertRows(db, 'seller_notes', ['note'], Array.from({ length: 300 }, () => [sentence(6)]));
  await insertRows(db, 'legacy_categories', ['label'], CATEGORIES.map((c) => [c]));
  await insertRows(db, 'search_cache', ['term', 'hits'], Array.from({ length: 300 }, (_, i) => [`${pick(WORDS)} ${i}`, Math.floor(rand() * 500)]));
  await insertRows(db, 'import_batches', ['file_name'], Array.from({ length: 200 }, (_, i) => [`import-${i}.csv`]));
  // Laravel's tables with what Laravel writes there: short payloads today, a single queue name.
  await insertRows(db, 'jobs', ['queue', 'payload', 'attempts', 'reserved_at', 'available_at', 'created_at'],
    Array.from({ length: 400 }, (_, i) => ['default', JSON.stringify({ job: 'SyncListing', id: i }), 0, null, 1764000000 + i, 1764000000 + i]));
  await insertRows(db, 'failed_jobs', ['uuid', 'connection', 'queue', 'payload', 'exception'],
    Array.from({ length: 200 }, (_, i) => [`0000-${i}`, 'database', 'default', JSON.stringify({ job: 'SyncListing', id: i }), 'RuntimeException: timeout']));
  await insertRows(db, 'cache', ['`key`', 'value', 'expiration'], Array.from({ length: 300 }, (_, i) => [`laravel_cache:k${i}`, 's:1:"x";', 1764000000 + i]));
  await insertRows(db, 'sessions', ['id', 'user_id', 'ip_address', 'user_agent', 'payload', 'last_activity'],
    Array.from({ length: 300 }, (_, i) => [`sess${i}`, 1 + i, '10.0.0.1', 'Mozilla/5.0', 'YTozOnt9', 1764000000 + i]));
  await db.query('SET SESSION foreign_key_checks = 1, unique_checks = 1');
  const [tables] = await db.query<import('mysql2/promise').RowDataPacket[]>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [database]);
  for (const { t } of tables) await db.query(`ANALYZE TABLE \`${t}\``);
}
