import { describe, expect, it } from 'vitest';
import { analyseSargability } from '../sargability.js';
import type { ColumnInfo, SchemaCatalog } from '../types.js';

const col = (table: string, name: string, columnType: string): ColumnInfo => {
  const dataType = columnType.replace(/\(.*$/, '');
  const isString = /char|text/.test(dataType);
  return { table, name, position: 1, columnType, dataType, nullable: false, charset: isString ? 'utf8mb4' : null, collation: isString ? 'utf8mb4_unicode_ci' : null,
    defaultExpr: null, extra: '', comment: '', maxChars: null };
};
const catalog: SchemaCatalog = {
  database: 'shop', foreignKeys: [],
  tables: [{ name: 'payouts', engine: 'InnoDB', estimatedRows: 1000, dataBytes: 1, collation: 'utf8mb4_unicode_ci' },
    { name: 'sellers', engine: 'InnoDB', estimatedRows: 1000, dataBytes: 1, collation: 'utf8mb4_unicode_ci' }],
  columns: [col('payouts', 'id', 'bigint(20)'), col('payouts', 'seller_id', 'bigint(20)'), col('payouts', 'paid_at', 'datetime'),
    col('payouts', 'reference', 'varchar(32)'), col('payouts', 'iban', 'varchar(34)'), col('sellers', 'id', 'bigint(20)'), col('sellers', 'email', 'varchar(191)'),
    col('sellers', 'phone', 'varchar(32)'), col('sellers', 'name', 'varchar(120)')],
  indexes: [{ table: 'payouts', name: 'idx_payouts_paid_at', unique: false, columns: ['paid_at'], subParts: [null] },
    { table: 'payouts', name: 'idx_payouts_reference', unique: false, columns: ['reference'], subParts: [null] },
    { table: 'sellers', name: 'idx_sellers_email', unique: false, columns: ['email'], subParts: [null] }],
};
const one = (sql: string) => {
  const found = analyseSargability(sql, catalog);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('analyseSargability', () => {
  it('rewrites a function on an indexed column as a range on the bare column', () => {
    const r = one("SELECT id FROM payouts WHERE seller_id = 7 AND DATE(paid_at) = '2026-03-01'");
    expect(r).toMatchObject({ kind: 'function-on-column', table: 'payouts', columns: ['paid_at'], indexed: true, ddl: null });
    expect(r.rewritten).toBe("SELECT id FROM payouts WHERE seller_id = 7 AND `paid_at` >= '2026-03-01' AND `paid_at` < '2026-03-01' + INTERVAL 1 DAY");
    expect(one('SELECT id FROM payouts WHERE YEAR(paid_at) = 2025').rewritten).toBe("SELECT id FROM payouts WHERE `paid_at` >= '2025-01-01' AND `paid_at` < '2025-01-01' + INTERVAL 1 YEAR");
  });
  it('indexes a generated column for other functions', () => {
    const r = one("SELECT id FROM sellers WHERE LOWER(email) = 'a@b.c'");
    expect(r.rewritten).toBe("SELECT id FROM sellers WHERE `email_lower` = 'a@b.c'");
    expect(r.ddl).toBe('ALTER TABLE `sellers` ADD COLUMN `email_lower` varchar(191) AS (LOWER(email)) VIRTUAL, ADD INDEX `idx_sellers_email_lower` (`email_lower`)');
  });
  it('turns a leading-wildcard LIKE into FULLTEXT, or a suffix search into a reversed generated column', () => {
    const words = one("SELECT id FROM sellers WHERE name LIKE '%garden%'");
    expect(words).toMatchObject({ kind: 'leading-wildcard', ddl: 'ALTER TABLE `sellers` ADD FULLTEXT INDEX `ft_sellers_name` (`name`)' });
    expect(words.rewritten).toBe("SELECT id FROM sellers WHERE MATCH(`name`) AGAINST ('+garden*' IN BOOLEAN MODE)");
    const suffix = one("SELECT id FROM sellers WHERE email LIKE '%@example.com'");
    expect(suffix.rewritten).toBe("SELECT id FROM sellers WHERE `email_reversed` LIKE 'moc.elpmaxe@%'");
    expect(suffix.ddl).toContain('AS (REVERSE(`email`)) VIRTUAL');
  });
  it('quotes a number compared with a string column (implicit conversion)', () => {
    const r = one('SELECT id FROM payouts WHERE reference = 4711');
    expect(r).toMatchObject({ kind: 'implicit-conversion', indexed: true });
    expect(r.rewritten).toBe("SELECT id FROM payouts WHERE reference = '4711'");
    expect(one('SELECT id FROM payouts WHERE reference IN (1, 2)').rewritten).toBe("SELECT id FROM payouts WHERE reference IN ('1', '2')");
  });
  it('rewrites an OR across two columns as a UNION, naming the missing index', () => {
    const r = one("SELECT id, name FROM sellers WHERE email = 'a@b.c' OR phone = '+4930' ORDER BY id LIMIT 5");
    expect(r).toMatchObject({ kind: 'or-across-columns', columns: ['email', 'phone'], indexed: false, ddl: 'ALTER TABLE `sellers` ADD INDEX `idx_sellers_phone` (`phone`)' });
    expect(r.rewritten).toBe("(SELECT id, name FROM sellers WHERE (email = 'a@b.c')) UNION (SELECT id, name FROM sellers WHERE (phone = '+4930')) ORDER BY id LIMIT 5");
  });
  it('leaves sargable predicates alone', () => {
    for (const sql of ["SELECT id FROM payouts WHERE paid_at >= '2026-01-01' AND seller_id = 3", "SELECT id FROM payouts WHERE reference = '4711'",
      "SELECT id FROM sellers WHERE name LIKE 'gar%'", 'SELECT id FROM payouts WHERE seller_id = 1 OR seller_id = 2', 'SELECT id FROM payouts WHERE seller_id = 12',
      "SELECT p.id FROM payouts p JOIN sellers s ON s.id = p.seller_id WHERE s.email = 'x'"]) {
      expect(analyseSargability(sql, catalog)).toEqual([]);
    }
  });
});
