/**
 * Designs the index one table of a query needs: columns compared by equality (and IN) first,
 * then one range column, then the ORDER BY columns. ORDER BY columns are only added when the
 * index can deliver that order: no range column before them, or the range column is the first
 * ORDER BY column (`WHERE a = ? AND b >= ? ORDER BY b` -> (a, b)).
 */
import type { ColumnRef, QueryShape, TableRef } from './query-shape.js';

export interface IndexDesign {
  readonly equalityColumns: readonly string[];
  readonly rangeColumn: string | null;
  readonly orderByColumns: readonly string[];
  readonly columns: readonly string[];
}

/** Does `ref` point at `table`? Unqualified names belong to it when it has such a column. */
function refersTo(ref: ColumnRef, table: TableRef, tableColumns: ReadonlySet<string>, singleTable: boolean): boolean {
  if (ref.qualifier !== null) return ref.qualifier === table.alias || ref.qualifier === table.name;
  return singleTable || tableColumns.has(ref.column);
}

export function designIndex(shape: QueryShape, table: TableRef, tableColumns: ReadonlySet<string>): IndexDesign | null {
  const single = shape.tables.length === 1;
  const mine = (ref: ColumnRef) => refersTo(ref, table, tableColumns, single) && tableColumns.has(ref.column);
  const equality: string[] = [];
  const inList: string[] = [];
  let range: string | null = null;
  for (const p of shape.predicates) {
    // A join condition is an equality for the table whose side is looked up (the inner table).
    let ref: ColumnRef | null = null;
    if (mine(p.column)) ref = p.column;
    else if (p.otherColumn && mine(p.otherColumn) && p.kind === 'equality') ref = p.otherColumn;
    if (!ref) continue;
    if (p.otherColumn && p.kind !== 'equality') continue;
    if (p.kind === 'equality' && !equality.includes(ref.column)) equality.push(ref.column);
    else if (p.kind === 'in' && !inList.includes(ref.column)) inList.push(ref.column);
    else if (p.kind === 'range' && range === null) range = ref.column;
  }
  const leading = [...equality, ...inList.filter((c) => !equality.includes(c))];
  if (range !== null && leading.includes(range)) range = null;
  const orderBy: string[] = [];
  const orderAllMine = shape.orderBy.length > 0 && shape.orderBy.every(mine);
  if (orderAllMine && inList.length === 0 && (range === null || shape.orderBy[0]!.column === range)) {
    for (const ref of shape.orderBy) if (!leading.includes(ref.column) && ref.column !== range) orderBy.push(ref.column);
  }
  const columns = [...leading, ...(range ? [range] : []), ...orderBy];
  if (columns.length === 0) return null;
  return { equalityColumns: leading, rangeColumn: range, orderByColumns: orderBy, columns };
}
