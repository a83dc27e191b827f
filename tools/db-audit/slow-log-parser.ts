/**
 * Parses a MariaDB slow query log (the format of log_output=FILE, with or without
 * log_slow_verbosity=query_plan) into one entry per logged statement.
 */
import { AuditError } from './errors.js';

export interface SlowLogEntry {
  readonly queryTime: number;
  readonly lockTime: number;
  readonly rowsSent: number;
  readonly rowsExamined: number;
  readonly fullScan: boolean;
  readonly tmpDiskTable: boolean;
  readonly schema: string | null;
  readonly statement: string;
  /** 1-based line where the entry's header starts, for error messages. */
  readonly line: number;
}

/** Lines the server writes when it (re)opens the log; they are not part of any entry. */
const SERVER_BANNER = [/^\S+, Version: /, /^Tcp port: /, /^Time\s+Id\s+Command\s+Argument/];

export function parseSlowLog(text: string, fileName: string): SlowLogEntry[] {
  const entries: SlowLogEntry[] = [];
  const lines = text.split('\n');
  let attrs: Map<string, string> | null = null;
  let startLine = 0;
  let schema: string | null = null;
  let body: string[] = [];
  let sawBanner = false;

  const flush = () => {
    if (attrs === null) return;
    const statement = body.join('\n').trim().replace(/;\s*$/, '');
    if (statement !== '') {
      const queryTime = numberAttr(attrs, 'Query_time', fileName, startLine);
      entries.push({
        queryTime,
        lockTime: numberAttr(attrs, 'Lock_time', fileName, startLine, 0),
        rowsSent: numberAttr(attrs, 'Rows_sent', fileName, startLine, 0),
        rowsExamined: numberAttr(attrs, 'Rows_examined', fileName, startLine, 0),
        fullScan: attrs.get('Full_scan') === 'Yes' || attrs.get('Full_join') === 'Yes',
        tmpDiskTable:
          attrs.get('Tmp_table_on_disk') === 'Yes' || Number(attrs.get('Tmp_disk_tables') ?? 0) > 0,
        schema,
        statement,
        line: startLine,
      });
    }
    attrs = null;
    body = [];
  };

  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (SERVER_BANNER.some((re) => re.test(line))) {
      sawBanner = true;
      flush();
      return;
    }
    if (line.startsWith('# ')) {
      // A header line after statement text starts the next entry.
      if (attrs === null || body.length > 0) {
        flush();
        attrs = new Map();
        startLine = index + 1;
      }
      if (line.startsWith('# Time:')) return;
      const schemaMatch = /\bSchema: (\S*)/.exec(line);
      if (schemaMatch) schema = schemaMatch[1] || null;
      for (const m of line.matchAll(/(\w+): (\S+)/g)) attrs!.set(m[1]!, m[2]!);
      return;
    }
    if (line === '#' || attrs === null) return;
    const use = /^use (`?)([^`;]+)\1;$/i.exec(line);
    if (use && body.length === 0) {
      schema = use[2]!;
      return;
    }
    if (/^SET timestamp=\d+;$/i.test(line) && body.length === 0) return;
    body.push(line);
  });
  flush();
  // A file with text but neither an entry nor the server's banner is not a slow log (a general log, an error log, a dump).
  if (entries.length === 0 && !sawBanner && text.trim() !== '') {
    throw new AuditError(`${fileName}: not a slow query log: no "# Query_time:" entry in ${lines.length} lines (give the file slow_query_log_file names, written with log_output=FILE)`);
  }
  return entries;
}

function numberAttr(
  attrs: Map<string, string>,
  name: string,
  fileName: string,
  line: number,
  fallback?: number,
): number {
  const raw = attrs.get(name);
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new AuditError(`${fileName}:${line}: slow log entry has no ${name} (is this a MariaDB/MySQL slow query log?)`);
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new AuditError(`${fileName}:${line}: ${name} is "${raw}", not a number`);
  }
  return value;
}
