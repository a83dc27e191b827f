import { describe, expect, it } from 'vitest';
import { assertReadOnlyStatement } from '../read-only-session.js';
import { describeConnectError } from '../read-only-session.js';

const options = { host: '127.0.0.1', port: 3307, user: 'audit', password: 'x', database: 'shop', maxStatementSeconds: 5 };

describe('assertReadOnlyStatement', () => {
  it.each(['SELECT 1', 'EXPLAIN SELECT a FROM t', 'ANALYZE FORMAT=JSON SELECT a FROM t', "SHOW GLOBAL STATUS LIKE 'Uptime'", "SELECT a FROM t WHERE b = 'x; DROP TABLE t'"])('lets %s through', (sql) => {
    expect(() => assertReadOnlyStatement(sql)).not.toThrow();
  });
  it.each(['DROP TABLE t', 'ALTER TABLE t ADD INDEX (a)', 'UPDATE t SET a = 1', 'EXPLAIN UPDATE t SET a = 1', 'SELECT a FROM t FOR UPDATE',
    "SELECT a INTO OUTFILE '/tmp/x' FROM t", 'SELECT 1; DROP TABLE t', 'SET GLOBAL slow_query_log = 0', 'ANALYZE TABLE t', 'ANALYZE FORMAT=JSON DELETE FROM t'])('refuses %s', (sql) => {
    expect(() => assertReadOnlyStatement(sql)).toThrow('refused');
  });
});

describe('describeConnectError', () => {
  it('turns driver errors into one actionable line', () => {
    expect(describeConnectError({ code: 'ER_ACCESS_DENIED_ERROR' }, options).message).toBe("access denied for user 'audit' at 127.0.0.1:3307: wrong user or password (check --user and --password-file)");
    expect(describeConnectError({ code: 'ECONNREFUSED' }, options).message).toContain('connection refused');
    expect(describeConnectError({ code: 'ER_DBACCESS_DENIED_ERROR' }, options).message).toContain('missing privilege: SELECT on `shop`.*');
  });
});
