import { describe, expect, it } from 'vitest';
import { parseQueryShape } from '../query-shape.js';
import { designIndex } from '../index-proposal.js';

const cols = (...names: string[]) => new Set(names);

describe('parseQueryShape', () => {
  it('reads tables, aliases, AND-ed conditions (ON and WHERE) and ORDER BY', () => {
    const shape = parseQueryShape("SELECT j.id FROM sync_jobs AS j JOIN sync_logs l ON l.sync_job_id = j.id WHERE j.account_id = 3 AND j.status = 'failed' ORDER BY j.started_at DESC")!;
    expect(shape.tables).toEqual([{ name: 'sync_jobs', alias: 'j' }, { name: 'sync_logs', alias: 'l' }]);
    expect(shape.predicates.map((p) => `${p.column.qualifier}.${p.column.column}:${p.kind}`)).toEqual(['l.sync_job_id:equality', 'j.account_id:equality', 'j.status:equality']);
    expect(shape.orderBy).toEqual([{ qualifier: 'j', column: 'started_at' }]);
  });
  it('ignores OR groups, keeps BETWEEN, prefix LIKE and IN', () => {
    const shape = parseQueryShape("SELECT a FROM t WHERE (b = 1 OR c = 2) AND d BETWEEN 1 AND 5 AND e LIKE 'ab%' AND f IN (1, 2) AND g LIKE '%x'")!;
    expect(shape.predicates.map((p) => `${p.column.column}:${p.kind}`)).toEqual(['d:range', 'e:range', 'f:in']);
  });
  it('returns null for statements it does not understand', () => {
    expect(parseQueryShape('SELECT a FROM (SELECT a FROM t) x')).toBeNull();
    expect(parseQueryShape('SELECT a FROM t UNION SELECT a FROM u')).toBeNull();
    expect(parseQueryShape('UPDATE t SET a = 1')).toBeNull();
  });
});

describe('designIndex', () => {
  const design = (sql: string, table: string, columns: Set<string>) => {
    const shape = parseQueryShape(sql)!;
    return designIndex(shape, shape.tables.find((t) => t.name === table)!, columns);
  };
  it('puts equality first, then the range column that is also the ORDER BY', () => {
    expect(design("SELECT id FROM logs WHERE level = 'error' AND logged_at >= '2026-01-01' ORDER BY logged_at DESC LIMIT 50", 'logs', cols('id', 'level', 'logged_at'))!.columns)
      .toEqual(['level', 'logged_at']);
  });
  it('appends ORDER BY columns after equality columns', () => {
    const d = design("SELECT a FROM inv WHERE wh = 'x' ORDER BY updated_at DESC LIMIT 100", 'inv', cols('a', 'wh', 'updated_at'))!;
    expect(d).toEqual({ equalityColumns: ['wh'], rangeColumn: null, orderByColumns: ['updated_at'], columns: ['wh', 'updated_at'] });
  });
  it('does not append ORDER BY after an unrelated range column', () => {
    expect(design('SELECT a FROM t WHERE b = 1 AND c > 5 ORDER BY d', 't', cols('a', 'b', 'c', 'd'))!.columns).toEqual(['b', 'c']);
  });
  it('uses the join column of the inner table', () => {
    expect(design('SELECT l.x FROM jobs j JOIN logs l ON l.job_id = j.id WHERE j.account = 1', 'logs', cols('x', 'job_id'))!.columns).toEqual(['job_id']);
  });
  it('ignores columns the table does not have', () => {
    expect(design('SELECT a FROM t WHERE nope = 1', 't', cols('a'))).toBeNull();
  });
});
