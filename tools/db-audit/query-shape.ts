/**
 * Reads the parts of a SELECT that decide which index it needs: the tables with their aliases,
 * the AND-ed conditions of WHERE and ON (equality, IN, range), and ORDER BY. A deliberately small
 * parser for the statements apps send (no subqueries in FROM, no UNION): anything it does not
 * understand makes it return null, and the advisor then says "not analysed" instead of guessing.
 */

export interface TableRef {
  readonly name: string;
  readonly alias: string;
}

export interface ColumnRef {
  /** Alias or table name as written, or null when unqualified. */
  readonly qualifier: string | null;
  readonly column: string;
}

export interface Predicate {
  readonly column: ColumnRef;
  readonly kind: 'equality' | 'in' | 'range';
  /** For `a.x = b.y`: the other column (a join condition). */
  readonly otherColumn: ColumnRef | null;
}

export interface QueryShape {
  readonly tables: readonly TableRef[];
  readonly predicates: readonly Predicate[];
  readonly orderBy: readonly ColumnRef[];
}

/** A token and where it is in the statement (`start`..`end`), so a predicate can be rewritten in place. */
export type Token = { kind: 'word' | 'ident' | 'string' | 'number' | 'op' | 'punct'; text: string; start: number; end: number };

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s+|(--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*")|`((?:[^`]|``)+)`|(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|([A-Za-z_$][\w$]*)|(<=>|<=|>=|<>|!=|=|<|>)|([(),.;*+\-/%])/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while (last < sql.length && (m = re.exec(sql)) !== null) {
    const at = { start: last, end: re.lastIndex };
    last = re.lastIndex;
    if (m[2] !== undefined) tokens.push({ kind: 'string', text: m[2], ...at });
    else if (m[3] !== undefined) tokens.push({ kind: 'ident', text: m[3].replace(/``/g, '`'), ...at });
    else if (m[4] !== undefined) tokens.push({ kind: 'number', text: m[4], ...at });
    else if (m[5] !== undefined) tokens.push({ kind: 'word', text: m[5], ...at });
    else if (m[6] !== undefined) tokens.push({ kind: 'op', text: m[6], ...at });
    else if (m[7] !== undefined) tokens.push({ kind: 'punct', text: m[7], ...at });
  }
  if (last < sql.length) throw new Error(`cannot tokenize near: ${sql.slice(last, last + 20)}`);
  return tokens;
}

export const isWord = (t: Token | undefined, ...words: string[]) => t?.kind === 'word' && words.includes(t.text.toUpperCase());
export const isName = (t: Token | undefined) => t?.kind === 'ident' || (t?.kind === 'word' && !RESERVED.has(t.text.toUpperCase()));
export const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'OUTER', 'CROSS', 'STRAIGHT_JOIN', 'ON', 'USING', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'BETWEEN', 'ORDER', 'GROUP', 'BY', 'HAVING', 'LIMIT', 'AS', 'UNION', 'ASC', 'DESC', 'FOR', 'FORCE', 'USE', 'IGNORE', 'INDEX', 'KEY', 'NATURAL', 'OFFSET']);

/** Splits tokens at depth 0 wherever `at(i)` is true; BETWEEN's AND is not a separator. */
export function splitTopLevel(tokens: Token[], isSeparator: (t: Token) => boolean): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  let inBetween = false;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth === 0 && isWord(t, 'BETWEEN')) inBetween = true;
    if (depth === 0 && isSeparator(t) && !(inBetween && isWord(t, 'AND'))) {
      parts.push([]);
      continue;
    }
    if (inBetween && isWord(t, 'AND')) inBetween = false;
    parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p) => p.length > 0);
}

export function readColumnRef(tokens: Token[], i: number): { ref: ColumnRef; next: number } | null {
  if (!isName(tokens[i])) return null;
  if (tokens[i + 1]?.text === '.' && isName(tokens[i + 2])) {
    return { ref: { qualifier: tokens[i]!.text, column: tokens[i + 2]!.text }, next: i + 3 };
  }
  return { ref: { qualifier: null, column: tokens[i]!.text }, next: i + 1 };
}

const isLiteral = (t: Token | undefined) => t?.kind === 'string' || t?.kind === 'number' || isWord(t, 'NULL', 'TRUE', 'FALSE') || t?.text === '?';

function readPredicate(tokens: Token[]): Predicate | null {
  // literal = column: turn around.
  if (isLiteral(tokens[0]) && tokens[1]?.kind === 'op') {
    const flipped = readColumnRef(tokens, 2);
    if (flipped && flipped.next === tokens.length) {
      const op = tokens[1].text;
      return { column: flipped.ref, kind: op === '=' || op === '<=>' ? 'equality' : 'range', otherColumn: null };
    }
  }
  const left = readColumnRef(tokens, 0);
  if (!left) return null;
  const rest = tokens.slice(left.next);
  const op = rest[0];
  if (op?.kind === 'op') {
    const kind = op.text === '=' || op.text === '<=>' ? 'equality' : op.text === '<>' || op.text === '!=' ? null : 'range';
    if (!kind) return null;
    if (rest.length === 2 && isLiteral(rest[1])) return { column: left.ref, kind, otherColumn: null };
    const right = readColumnRef(rest, 1);
    if (right && right.next === rest.length) return { column: left.ref, kind, otherColumn: right.ref };
    return null;
  }
  if (isWord(op, 'IN') && rest[1]?.text === '(' && rest.slice(2, -1).every((t) => isLiteral(t) || t.text === ',') && rest[rest.length - 1]?.text === ')') {
    return { column: left.ref, kind: 'in', otherColumn: null };
  }
  if (isWord(op, 'BETWEEN') && rest.length === 4 && isLiteral(rest[1]) && isLiteral(rest[3])) return { column: left.ref, kind: 'range', otherColumn: null };
  if (isWord(op, 'IS') && isWord(rest[1], 'NULL') && rest.length === 2) return { column: left.ref, kind: 'equality', otherColumn: null };
  if (isWord(op, 'LIKE') && rest.length === 2 && rest[1]?.kind === 'string' && !/^['"][%_]/.test(rest[1].text)) {
    return { column: left.ref, kind: 'range', otherColumn: null };
  }
  return null;
}

export function clauseIndex(tokens: Token[], ...words: string[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && isWord(t, words[0]!) && words.slice(1).every((w, k) => isWord(tokens[i + 1 + k], w))) return i;
  }
  return -1;
}

export function parseQueryShape(sql: string): QueryShape | null {
  let tokens: Token[];
  try {
    tokens = tokenize(sql.trim().replace(/;\s*$/, ''));
  } catch {
    return null;
  }
  if (!isWord(tokens[0], 'SELECT') || clauseIndex(tokens, 'UNION') >= 0) return null;
  const from = clauseIndex(tokens, 'FROM');
  if (from < 0) return null;
  const ends = [clauseIndex(tokens, 'WHERE'), clauseIndex(tokens, 'GROUP', 'BY'), clauseIndex(tokens, 'HAVING'),
    clauseIndex(tokens, 'ORDER', 'BY'), clauseIndex(tokens, 'LIMIT'), clauseIndex(tokens, 'FOR'), tokens.length].filter((i) => i > from);
  const fromEnd = Math.min(...ends);
  const where = clauseIndex(tokens, 'WHERE');
  const whereEnd = Math.min(...ends.filter((i) => i > where));
  const orderBy = clauseIndex(tokens, 'ORDER', 'BY');
  const orderEnd = Math.min(...ends.filter((i) => i > orderBy));

  const tables: TableRef[] = [];
  const conditions: Token[][] = [];
  const joinWords = (t: Token) => t.text === ',' || isWord(t, 'JOIN', 'STRAIGHT_JOIN');
  for (const part of splitTopLevel(tokens.slice(from + 1, fromEnd), joinWords)) {
    // Drop join modifiers left at the end of the previous part (LEFT OUTER, INNER, CROSS).
    const body = [...part];
    while (body.length > 0 && isWord(body[body.length - 1], 'LEFT', 'RIGHT', 'OUTER', 'INNER', 'CROSS', 'NATURAL')) body.pop();
    if (body[0]?.text === '(') return null; // derived table
    let i = 0;
    if (!isName(body[i])) return null;
    let name = body[i]!.text;
    i++;
    if (body[i]?.text === '.' && isName(body[i + 1])) {
      name = body[i + 1]!.text; // db.table: the audit only looks at one database
      i += 2;
    }
    if (isWord(body[i], 'AS')) i++;
    const alias = isName(body[i]) ? body[i++]!.text : name;
    tables.push({ name, alias });
    const on = body.findIndex((t) => isWord(t, 'ON'));
    if (on >= 0) conditions.push(body.slice(on + 1));
  }
  if (where >= 0) conditions.push(tokens.slice(where + 1, whereEnd));

  const predicates: Predicate[] = [];
  for (const condition of conditions) {
    for (const conjunct of splitTopLevel(condition, (t) => isWord(t, 'AND'))) {
      let body = conjunct;
      while (body[0]?.text === '(' && body[body.length - 1]?.text === ')') body = body.slice(1, -1);
      // An OR of conditions cannot drive one index lookup: leave it to the filter.
      if (splitTopLevel(body, (t) => isWord(t, 'OR', 'XOR')).length > 1) continue;
      const predicate = readPredicate(body);
      if (predicate) predicates.push(predicate);
    }
  }

  const order: ColumnRef[] = [];
  if (orderBy >= 0) {
    for (const item of splitTopLevel(tokens.slice(orderBy + 2, orderEnd), (t) => t.text === ',')) {
      const ref = readColumnRef(item, 0);
      if (!ref || (ref.next !== item.length && !(ref.next === item.length - 1 && isWord(item[ref.next], 'ASC', 'DESC')))) break;
      order.push(ref.ref);
    }
  }
  return { tables, predicates, orderBy: order };
}
