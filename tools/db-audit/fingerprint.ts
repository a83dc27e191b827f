/**
 * Normalizes a statement to its digest text: literals become `?`, IN/VALUES lists collapse,
 * whitespace and case are folded. It follows pt-query-digest's fingerprint rules (QueryRewriter
 * in percona-toolkit 3.x) step by step, so a ranking by this text can be compared class by
 * class with pt-query-digest's report on the same slow log.
 */
export function fingerprint(statement: string): string {
  let q = statement;
  if (/^SELECT \/\*!40001 SQL_NO_CACHE \*\/ \* FROM `/.test(q)) return 'mysqldump';
  if (/\/\*\w+\.\w+:[0-9]\/[0-9]\*\//.test(q)) return 'percona-toolkit';
  if (/^administrator command: /.test(q)) return q;
  const call = /^\s*(call\s+\S+)\(/i.exec(q);
  if (call) return call[1]!.toLowerCase();
  // Multi-row INSERT: keep only the first row before normalizing.
  const insert = /^((?:INSERT|REPLACE)(?: IGNORE)?\s+INTO.+?VALUES\s*\(.*?\))\s*,\s*\(/is.exec(q);
  if (insert) q = insert[1]!;

  q = q.replace(/\/\*[^!].*?\*\//gs, ''); // block comments, except /*! hints
  q = q.replace(/(?:--|#)[^'"\r\n]*(?=[\r\n]|$)/g, ''); // line comments
  if (/^use \S+$/i.test(q)) return q.replace(/^use \S+$/i, 'use ?');

  q = q.replace(/\\["']/g, '');
  q = q.replace(/".*?"/gs, '?');
  q = q.replace(/'.*?'/gs, '?');
  q = q.replace(/\bfalse\b|\btrue\b/gi, '?');
  // Things resembling numbers, also inside identifiers (pt does the same: t1 -> t?).
  q = q.replace(/[0-9+-][0-9a-f.xb+-]*/g, '?');
  q = q.replace(/[xb.+-]\?/g, '?');

  q = q.replace(/^\s+/, '').replace(/\n$/, ''); // pt chomps one newline only
  q = q.replace(/[ \n\t\r\f]+/g, ' ');
  q = q.toLowerCase();
  q = q.replace(/\bnull\b/g, '?');
  q = q.replace(/\b(in|values?)(?:[\s,]*\([\s?,]*\))+/g, '$1(?+)');
  q = q.replace(/\b(select\s.*?)(?:(\sunion(?:\sall)?)\s\1)+/g, '$1 /*repeat$2*/');
  q = q.replace(/\blimit \?(?:, ?\?| offset \?)?/, 'limit ?');
  const orderBy = q.search(/\border by /i);
  if (orderBy >= 0) {
    q = q.slice(0, orderBy) + q.slice(orderBy).replace(/\s+asc\b/gi, '');
  }
  return q;
}
