/** Reads the target schema's tables, columns, indexes and foreign keys from information_schema. */
import type { ReadOnlySession } from './read-only-session.js';
import type { ColumnInfo, ForeignKeyInfo, IndexInfo, SchemaCatalog, TableInfo } from './types.js';

export async function readSchemaCatalog(session: ReadOnlySession, database: string): Promise<SchemaCatalog> {
  const tables = await session.rows<Record<string, unknown>>(
    `SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_ROWS AS estimated_rows, DATA_LENGTH AS data_bytes,
            TABLE_COLLATION AS collation, CREATE_OPTIONS AS create_options
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
    [database],
  );
  const columns = await session.rows<Record<string, unknown>>(
    `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS name, ORDINAL_POSITION AS position, COLUMN_TYPE AS column_type,
            DATA_TYPE AS data_type, IS_NULLABLE AS nullable, CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation,
            COLUMN_DEFAULT AS default_expr, EXTRA AS extra, COLUMN_COMMENT AS comment, CHARACTER_MAXIMUM_LENGTH AS max_chars
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  const indexRows = await session.rows<Record<string, unknown>>(
    `SELECT TABLE_NAME AS table_name, INDEX_NAME AS name, NON_UNIQUE AS non_unique, COLUMN_NAME AS column_name,
            SUB_PART AS sub_part
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [database],
  );
  const fkRows = await session.rows<Record<string, unknown>>(
    `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, COLUMN_NAME AS column_name,
            REFERENCED_TABLE_NAME AS referenced_table, REFERENCED_COLUMN_NAME AS referenced_column
       FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL AND REFERENCED_TABLE_SCHEMA = TABLE_SCHEMA
      ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
    [database],
  );

  const tableInfos: TableInfo[] = tables.map((t) => ({
    name: String(t.name),
    engine: String(t.engine ?? ''),
    estimatedRows: Number(t.estimated_rows ?? 0),
    dataBytes: Number(t.data_bytes ?? 0),
    collation: String(t.collation ?? ''),
    createOptions: String(t.create_options ?? ''),
  }));
  const columnInfos: ColumnInfo[] = columns.map((c) => ({
    table: String(c.table_name),
    name: String(c.name),
    position: Number(c.position),
    columnType: String(c.column_type),
    dataType: String(c.data_type).toLowerCase(),
    nullable: c.nullable === 'YES',
    charset: c.charset === null ? null : String(c.charset),
    collation: c.collation === null ? null : String(c.collation),
    defaultExpr: c.default_expr === null ? null : String(c.default_expr),
    extra: String(c.extra ?? ''),
    comment: String(c.comment ?? ''),
    maxChars: c.max_chars === null ? null : Number(c.max_chars),
  }));

  const indexes = new Map<string, { table: string; name: string; unique: boolean; columns: string[]; subParts: (number | null)[] }>();
  for (const row of indexRows) {
    const key = `${row.table_name}.${row.name}`;
    let index = indexes.get(key);
    if (!index) {
      index = { table: String(row.table_name), name: String(row.name), unique: Number(row.non_unique) === 0, columns: [], subParts: [] };
      indexes.set(key, index);
    }
    index.columns.push(String(row.column_name));
    index.subParts.push(row.sub_part === null ? null : Number(row.sub_part));
  }

  const fks = new Map<string, { table: string; name: string; columns: string[]; referencedTable: string; referencedColumns: string[] }>();
  for (const row of fkRows) {
    const key = `${row.table_name}.${row.name}`;
    let fk = fks.get(key);
    if (!fk) {
      fk = { table: String(row.table_name), name: String(row.name), columns: [], referencedTable: String(row.referenced_table), referencedColumns: [] };
      fks.set(key, fk);
    }
    fk.columns.push(String(row.column_name));
    fk.referencedColumns.push(String(row.referenced_column));
  }

  return {
    database,
    tables: tableInfos,
    columns: columnInfos,
    indexes: [...indexes.values()] as IndexInfo[],
    foreignKeys: [...fks.values()] as ForeignKeyInfo[],
  };
}
