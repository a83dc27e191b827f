import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint.js';

describe('fingerprint (pt-query-digest rules)', () => {
  it('replaces literals and folds case and whitespace', () => {
    expect(fingerprint("SELECT id FROM t WHERE a = 'x'  AND\n b = 42")).toBe('select id from t where a = ? and b = ?');
  });
  it('collapses IN lists and multi-row VALUES', () => {
    expect(fingerprint('SELECT * FROM t WHERE id IN (1, 2, 3)')).toBe('select * from t where id in(?+)');
    expect(fingerprint("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')")).toBe('insert into t (a, b) values(?+)');
  });
  it('normalizes LIMIT with offset and drops ASC after ORDER BY', () => {
    expect(fingerprint('SELECT a FROM t ORDER BY a ASC, b DESC LIMIT 10, 20')).toBe('select a from t order by a, b desc limit ?');
  });
  it('replaces digits inside identifiers (and what follows them) like pt does', () => {
    expect(fingerprint('SELECT t1.c FROM t1')).toBe('select t? from t?');
  });
  it('removes comments and NULL, abstracts USE', () => {
    expect(fingerprint('SELECT /* app */ a FROM t WHERE b IS NULL -- tail')).toBe('select a from t where b is ? '); // pt keeps the space left by the comment
    expect(fingerprint('use shop')).toBe('use ?');
  });
  it('gives different queries different texts', () => {
    expect(fingerprint('SELECT a FROM t WHERE b = 1')).not.toBe(fingerprint('SELECT a FROM t WHERE c = 1'));
  });
});
