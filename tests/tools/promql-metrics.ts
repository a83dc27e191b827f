/**
 * The metric names a PromQL expression reads: identifiers that are not functions, aggregation
 * or set keywords, label names (inside {} or by/without/on/ignoring/group_* lists), durations
 * or string contents. A small lexer is enough for the expressions this repository generates;
 * promtool (tests/suites/40-promtool.sh) checks that they parse.
 */
const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'atan2',
  'sum', 'min', 'max', 'avg', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group',
  'inf', 'nan',
]);

export function promqlMetrics(expr: string): string[] {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range and subquery durations
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const names = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = m[0];
    const before = text[m.index - 1];
    const after = text.slice(m.index + name.length).trimStart();
    if (KEYWORDS.has(name.toLowerCase()) || after.startsWith('(')) continue; // keyword or function
    if (before !== undefined && /[0-9.]/.test(before)) continue; // part of a number or duration (5m, 1e3)
    names.add(name);
  }
  return [...names].sort();
}
