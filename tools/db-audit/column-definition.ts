/**
 * Renders a full column definition for `ALTER TABLE ... MODIFY`, from what information_schema
 * says about the column plus the changes a check proposes. MODIFY replaces the whole definition,
 * so everything not changed (default, auto_increment, comment) must be repeated.
 */
import type { ColumnInfo } from './types.js';

export interface ColumnOverrides {
  readonly type?: string;
  readonly notNull?: boolean;
  readonly charset?: string;
  readonly collation?: string;
}

export function mergeOverrides(a: ColumnOverrides, b: ColumnOverrides): ColumnOverrides {
  return { ...a, ...b };
}

export function columnDefinition(column: ColumnInfo, overrides: ColumnOverrides): string {
  const parts = [`\`${column.name}\``, overrides.type ?? column.columnType];
  // A new non-string type (a string key turned into the integer it joins) drops the charset.
  const isString = (overrides.type !== undefined ? /char|text/i.test(overrides.type) : column.charset !== null) || overrides.charset !== undefined;
  if (isString) {
    const charset = overrides.charset ?? column.charset;
    const collation = overrides.collation ?? column.collation;
    if (charset) parts.push(`CHARACTER SET ${charset}`);
    if (collation) parts.push(`COLLATE ${collation}`);
  }
  const notNull = overrides.notNull ?? !column.nullable;
  parts.push(notNull ? 'NOT NULL' : 'NULL');
  // MariaDB prints the default as an expression; a NULL default cannot stay on a NOT NULL column.
  if (column.defaultExpr !== null && !(notNull && column.defaultExpr.toUpperCase() === 'NULL')) {
    parts.push(`DEFAULT ${column.defaultExpr}`);
  }
  const extra = column.extra.replace(/\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i, '').trim();
  if (extra) parts.push(extra);
  if (column.comment) parts.push(`COMMENT '${column.comment.replace(/'/g, "''")}'`);
  return parts.join(' ');
}
