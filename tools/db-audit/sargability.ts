/**
 * Finds WHERE predicates no index can serve as written (not "sargable") and rewrites them:
 * a function around a column (`DATE(col) = ?` -> a range on col), a leading wildcard
 * (`LIKE '%x'` -> FULLTEXT, or a reversed generated column for suffixes), a string column
 * compared with a number (every row is converted: quote the literal), and an OR across two
 * columns (-> UNION of two index lookups, or index merge). Each finding carries the rewritten
 * statement; the advisor then designs indexes for the rewritten form.
 */
import { isFrameworkTable } from './framework-tables.js';
import { clauseIndex, isWord, parseQueryShape, readColumnRef, splitTopLevel, tokenize, type TableRef, type Token } from './query-shape.js';
import type { ColumnInfo, PredicateRewrite, SchemaCatalog } from './types.js';

interface Located {
  readonly table: TableRef;
  readonly column: ColumnInfo;
}

/** Date functions whose equality becomes a half-open range on the column itself. */
const DATE_UNITS: Record<string, string> = { DATE: 'DAY', YEAR: 'YEAR' };
const STRING_TYPES = /char|text/;

export function analyseSargability(sql: string, catalog: SchemaCatalog): PredicateRewrite[] {
  const statement = sql.trim().replace(/;\s*$/, '');
  const shape = parseQueryShape(statement);
  let tokens: Token[];
  try {
    tokens = tokenize(statement);
  } catch {
    return [];
  }
  // Laravel's own queries on its own tables (queue poll, sessions) are the framework's business.
  if (!shape || shape.tables.some((t) => isFrameworkTable(t.name))) return [];
  const where = clauseIndex(tokens, 'WHERE');
  if (where < 0) return [];
  const ends = [clauseIndex(tokens, 'GROUP', 'BY'), clauseIndex(tokens, 'HAVING'), clauseIndex(tokens, 'ORDER', 'BY'),
    clauseIndex(tokens, 'LIMIT'), clauseIndex(tokens, 'FOR'), tokens.length].filter((i) => i > where);
  const whereEnd = Math.min(...ends);
  const single = shape.tables.length === 1;
  const locate = (toks: Token[], i: number): (Located & { next: number }) | null => {
    const ref = readColumnRef(toks, i);
    if (!ref) return null;
    for (const table of shape.tables) {
      if (ref.ref.qualifier !== null && ref.ref.qualifier !== table.alias && ref.ref.qualifier !== table.name) continue;
      const column = catalog.columns.find((c) => c.table === table.name && c.name === ref.ref.column);
      if (column && (ref.ref.qualifier !== null || single || shape.tables.filter((t) => catalog.columns.some((c) => c.table === t.name && c.name === ref.ref.column)).length === 1)) {
        return { table, column, next: ref.next };
      }
    }
    return null;
  };
  const indexed = (table: string, column: string) => catalog.indexes.some((i) => i.table === table && i.columns[0] === column);
  const text = (from: Token, to: Token) => statement.slice(from.start, to.end);
  const replace = (from: Token, to: Token, by: string) => `${statement.slice(0, from.start)}${by}${statement.slice(to.end)}`;
  const found: PredicateRewrite[] = [];

  for (const raw of splitTopLevel(tokens.slice(where + 1, whereEnd), (t) => isWord(t, 'AND'))) {
    let c = raw;
    while (c[0]?.text === '(' && c[c.length - 1]?.text === ')') c = c.slice(1, -1);
    const first = raw[0]!;
    const last = raw[raw.length - 1]!;
    const predicate = text(first, last);

    // OR across two columns: one lookup cannot serve both sides.
    const branches = splitTopLevel(c, (t) => isWord(t, 'OR'));
    if (branches.length > 1) {
      const columns = branches.map((b) => locate(b, 0));
      const names = new Set(columns.map((l) => (l ? `${l.table.name}.${l.column.name}` : '?')));
      if (columns.every((l) => l !== null) && names.size > 1) {
        const located = columns as Located[];
        const missing = located.filter((l) => !indexed(l.table.name, l.column.name));
        const union = unionRewrite(statement, tokens, first, last, branches.map((b) => text(b[0]!, b[b.length - 1]!)));
        found.push({
          kind: 'or-across-columns', table: located[0]!.table.name, columns: located.map((l) => l.column.name), predicate,
          indexed: missing.length === 0,
          advice: `OR across ${[...names].join(' and ')}: one index cannot serve both; rewrite as UNION (each branch uses its own index; UNION drops duplicate rows, so keep the primary key in the select list)` +
            (missing.length === 0 ? ', or check that EXPLAIN shows index_merge (sort_union)' : `; index first: ${missing.map((l) => `${l.table.name}(${l.column.name})`).join(', ')}`),
          rewritten: union,
          ddl: missing.length === 0 ? null : missing.map((l) => `ALTER TABLE \`${l.table.name}\` ADD INDEX \`idx_${l.table.name}_${l.column.name}\` (\`${l.column.name}\`)`).join(';\n'),
        });
      }
      continue;
    }

    // f(col) <op> literal
    if (c[0]?.kind === 'word' && c[1]?.text === '(' && !isWord(c[0], 'NOT')) {
      const close = matching(c, 1);
      const inner = close > 0 ? locate(c, 2) : null;
      if (inner && close > 0) {
        const fn = c[0].text.toUpperCase();
        const rest = c.slice(close + 1);
        const col = quoteName(inner.table, inner.column, shape.tables.length > 1);
        const range = DATE_UNITS[fn] ? dateRange(fn, col, rest) : null;
        const generated = `${inner.column.name}_${fn.toLowerCase()}`;
        found.push({
          kind: 'function-on-column', table: inner.table.name, columns: [inner.column.name], predicate, indexed: indexed(inner.table.name, inner.column.name),
          advice: range
            ? `${fn}() around ${inner.column.name} hides it from ${indexed(inner.table.name, inner.column.name) ? 'its index' : 'any index'}: compare the bare column with a range`
            : `${fn}() around ${inner.column.name}: no index on the column can serve it; index a generated column holding the expression and compare that`,
          rewritten: range ? replace(first, last, range) : replace(c[0], c[close]!, `\`${generated}\``),
          ddl: range ? null : `ALTER TABLE \`${inner.table.name}\` ADD COLUMN \`${generated}\` ${inner.column.columnType} AS (${text(c[0], c[close]!)}) VIRTUAL, ADD INDEX \`idx_${inner.table.name}_${generated}\` (\`${generated}\`)`,
        });
        continue;
      }
    }

    const left = locate(c, 0);
    if (!left) continue;
    const rest = c.slice(left.next);
    const isString = STRING_TYPES.test(left.column.dataType);
    // col LIKE '%x' / '%x%'
    if (isWord(rest[0], 'LIKE') && rest[1]?.kind === 'string' && /^['"][%_]/.test(rest[1].text)) {
      const pattern = rest[1].text.slice(1, -1);
      const body = pattern.replace(/^[%_]+/, '');
      const suffixOnly = !/[%_]/.test(body);
      const col = quoteName(left.table, left.column, shape.tables.length > 1);
      if (suffixOnly) {
        const generated = `${left.column.name}_reversed`;
        found.push({
          kind: 'leading-wildcard', table: left.table.name, columns: [left.column.name], predicate, indexed: indexed(left.table.name, left.column.name),
          advice: `LIKE '${pattern}' starts with a wildcard: no B-tree index can serve it; a suffix search becomes a prefix search on a reversed generated column`,
          rewritten: replace(first, last, `\`${generated}\` LIKE '${reverse(body)}%'`),
          ddl: `ALTER TABLE \`${left.table.name}\` ADD COLUMN \`${generated}\` ${left.column.columnType} AS (REVERSE(\`${left.column.name}\`)) VIRTUAL, ADD INDEX \`idx_${left.table.name}_${generated}\` (\`${generated}\`)`,
        });
      } else {
        const words = body.replace(/[%_]+$/, '').split(/[%_\s]+/).filter((w) => w.length > 0);
        found.push({
          kind: 'leading-wildcard', table: left.table.name, columns: [left.column.name], predicate, indexed: indexed(left.table.name, left.column.name),
          advice: `LIKE '${pattern}' starts with a wildcard: no B-tree index can serve it; a FULLTEXT index finds the words (whole words and prefixes, not arbitrary substrings: check it fits the search)`,
          rewritten: replace(first, last, `MATCH(${col}) AGAINST ('${words.map((w) => `+${w}*`).join(' ')}' IN BOOLEAN MODE)`),
          ddl: `ALTER TABLE \`${left.table.name}\` ADD FULLTEXT INDEX \`ft_${left.table.name}_${left.column.name}\` (\`${left.column.name}\`)`,
        });
      }
      continue;
    }
    // string column compared with a number: the server converts every row's value to a number
    if (isString && rest[0]?.kind === 'op' && rest[1]?.kind === 'number' && rest.length === 2) {
      found.push({
        kind: 'implicit-conversion', table: left.table.name, columns: [left.column.name], predicate, indexed: indexed(left.table.name, left.column.name),
        advice: `${left.column.name} is ${left.column.columnType} but is compared with the number ${rest[1].text}: every value is converted to a number, so no index can serve it; quote the literal`,
        rewritten: replace(rest[1], rest[1], `'${rest[1].text}'`),
        ddl: null,
      });
    } else if (isString && isWord(rest[0], 'IN') && rest.slice(2, -1).some((t) => t.kind === 'number')) {
      const quoted = rest.slice(2, -1).map((t) => (t.kind === 'number' ? `'${t.text}'` : t.text === ',' ? ', ' : statement.slice(t.start, t.end))).join('');
      found.push({
        kind: 'implicit-conversion', table: left.table.name, columns: [left.column.name], predicate, indexed: indexed(left.table.name, left.column.name),
        advice: `${left.column.name} is ${left.column.columnType} but IN lists numbers: every value is converted, so no index can serve it; quote the literals`,
        rewritten: replace(rest[1]!, rest[rest.length - 1]!, `(${quoted})`),
        ddl: null,
      });
    }
  }
  return found;
}

function matching(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.text === '(') depth++;
    if (tokens[i]!.text === ')' && --depth === 0) return i;
  }
  return -1;
}

const quoteName = (table: TableRef, column: ColumnInfo, qualify: boolean) => (qualify ? `${table.alias}.\`${column.name}\`` : `\`${column.name}\``);
const reverse = (s: string) => [...s].reverse().join('');

/** `DATE(col) = 'd'` -> `col >= 'd' AND col < 'd' + INTERVAL 1 DAY` (and the other comparisons). */
function dateRange(fn: string, col: string, rest: Token[]): string | null {
  const unit = DATE_UNITS[fn]!;
  const lit = (t: Token | undefined) => (t && (t.kind === 'string' || t.kind === 'number') ? t.text : null);
  const start = (v: string) => (fn === 'YEAR' ? `'${v.replace(/'/g, '')}-01-01'` : v);
  const next = (v: string) => `${start(v)} + INTERVAL 1 ${unit}`;
  if (isWord(rest[0], 'BETWEEN') && rest.length === 4 && lit(rest[1]) && lit(rest[3])) return `${col} >= ${start(lit(rest[1])!)} AND ${col} < ${next(lit(rest[3])!)}`;
  if (rest[0]?.kind !== 'op' || rest.length !== 2 || !lit(rest[1])) return null;
  const v = lit(rest[1])!;
  switch (rest[0].text) {
    case '=': return `${col} >= ${start(v)} AND ${col} < ${next(v)}`;
    case '>=': return `${col} >= ${start(v)}`;
    case '>': return `${col} >= ${next(v)}`;
    case '<': return `${col} < ${start(v)}`;
    case '<=': return `${col} < ${next(v)}`;
    default: return null;
  }
}

/** The statement as a UNION of one SELECT per OR branch; ORDER BY and LIMIT apply to the union. */
function unionRewrite(statement: string, tokens: Token[], first: Token, last: Token, branches: string[]): string {
  const order = clauseIndex(tokens, 'ORDER', 'BY');
  const limit = clauseIndex(tokens, 'LIMIT');
  const tailAt = [order, limit].filter((i) => i >= 0);
  const cut = tailAt.length > 0 ? tokens[Math.min(...tailAt)]!.start : statement.length;
  const head = statement.slice(0, cut).trimEnd();
  const tail = statement.slice(cut).trim();
  const selects = branches.map((b) => `${head.slice(0, first.start)}(${b})${head.slice(last.end)}`);
  // An ORDER BY on qualified names must name the union's columns: drop the qualifier.
  const outer = tail.replace(/\b\w+\.(`?\w+`?)/g, '$1');
  return tail ? `(${selects.join(') UNION (')}) ${outer}` : selects.join(' UNION ');
}

