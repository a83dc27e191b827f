/**
 * The second fixture's workload: each planted query shape twice (function on a column, leading
 * wildcard, implicit conversion, OR across columns, poor index with a sort, mismatched joins),
 * and clean queries that must not be flagged, Laravel's queue poll among them.
 */
import type { WorkloadQuery } from './workload.js';
import { CATEGORIES, FIXTURE2_ROWS, FOLDERS } from './fixture2-loader.js';

const n = FIXTURE2_ROWS;
const day = (i: number) => `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;

export const WORKLOAD2: readonly WorkloadQuery[] = [
  { name: 'payouts of a day (DATE on paid_at)', runs: 12, sql: 'SELECT id, amount FROM payouts WHERE DATE(paid_at) = ?', params: (i) => [day(i)] },
  { name: 'reviews of a day (DATE on created_at)', runs: 12, sql: 'SELECT id, rating FROM reviews WHERE DATE(created_at) = ?', params: (i) => [day(i + 5)] },
  { name: 'reviews mentioning broken (leading wildcard)', runs: 6, sql: "SELECT id, rating FROM reviews WHERE body LIKE '%broken%'", params: () => [] },
  { name: 'sellers on a mail domain (leading wildcard)', runs: 6, sql: "SELECT id, name FROM sellers WHERE email LIKE '%@example.org'", params: () => [] },
  { name: 'payout by reference as a number', runs: 20, sql: 'SELECT id, amount FROM payouts WHERE reference = ?', params: (i) => [500000 + ((i * 37) % n.payouts)] },
  { name: 'product by sku as a number', runs: 20, sql: 'SELECT id, title FROM products WHERE sku = ?', params: (i) => [100000 + ((i * 41) % n.products)] },
  { name: 'seller by email or phone', runs: 12, sql: 'SELECT id, name FROM sellers WHERE email = ? OR phone = ?', params: (i) => [`seller${i + 1}@shop.test`, `+49${3000000 + i + 50}`] },
  { name: 'messages of a seller either way', runs: 12, sql: 'SELECT id, folder FROM messages WHERE sender_id = ? OR recipient_id = ?', params: (i) => [1 + i, 1 + i] },
  { name: 'cheapest active products of a category', runs: 12,
    sql: "SELECT id, title, price FROM products WHERE status = 'active' AND category = ? ORDER BY price LIMIT 20", params: (i) => [CATEGORIES[i % CATEGORIES.length]] },
  { name: 'latest unread messages of a folder', runs: 12,
    sql: 'SELECT id, sender_id, sent_at FROM messages WHERE is_read = 0 AND folder = ? ORDER BY sent_at DESC LIMIT 20', params: (i) => [FOLDERS[i % FOLDERS.length]] },
  { name: 'transfers of a seller (utf8mb3 join)', runs: 6,
    sql: 'SELECT p.id, b.bank_code FROM payouts p JOIN bank_transfers b ON b.payout_ref = p.reference WHERE p.seller_id = ?', params: (i) => [1 + i] },
  { name: 'payout of a refund (number vs string join)', runs: 6,
    sql: 'SELECT r.id, p.amount FROM refunds r JOIN payouts p ON p.reference = r.payout_number WHERE r.id = ?', params: (i) => [1 + i * 13] },
  // CLEAN
  { name: 'product page', runs: 200, sql: 'SELECT id, title, price FROM products WHERE id = ?', params: (i) => [1 + ((i * 53) % n.products)] },
  { name: 'payouts of a seller', runs: 150, sql: 'SELECT id, amount, paid_at FROM payouts WHERE seller_id = ? ORDER BY id', params: (i) => [1 + ((i * 7) % n.sellers)] },
  { name: 'reviews of a product', runs: 150, sql: 'SELECT id, rating FROM reviews WHERE product_id = ?', params: (i) => [1 + ((i * 11) % n.products)] },
  { name: 'seller by slug', runs: 150, sql: 'SELECT id, name FROM sellers WHERE slug = ?', params: (i) => [`seller-${1 + i}-x`] },
  { name: 'webhook calls of a seller', runs: 100, sql: 'SELECT id, status FROM webhook_calls WHERE seller_id = ?', params: (i) => [1 + i] },
  { name: 'Laravel queue poll', runs: 200,
    sql: "SELECT * FROM jobs WHERE queue = 'default' AND (reserved_at IS NULL OR reserved_at <= ?) AND available_at <= ? ORDER BY id ASC LIMIT 1", params: (i) => [1764000000 + i, 1764000000 + i] },
  { name: 'Laravel session read', runs: 200, sql: 'SELECT * FROM sessions WHERE id = ?', params: (i) => [`sess${i % 300}`] },
];
