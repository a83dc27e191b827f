/** Command-line options of `npm run db:audit`, validated before anything connects or writes. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditError } from './errors.js';

export interface AuditOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly slowLog: string | null;
  readonly outDir: string;
  readonly topDigests: number;
  readonly sampleRows: number;
  readonly unusedIndexMinUptimeSeconds: number;
  readonly minRowsForDataChecks: number;
  readonly usePerformanceSchema: boolean;
  readonly maxStatementSeconds: number;
  /** TLS material (file contents), when the server or the account needs TLS. */
  readonly tls: TlsOptions | null;
  /** Audit what the account can see even when it cannot see every table (with a warning). */
  readonly allowPartial: boolean;
  /** A scratch copy of the schema where proposed indexes are created and EXPLAINed, then dropped. */
  readonly scratchDatabase: string | null;
}

export interface TlsOptions {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
  /** Also check that the certificate names --host (off for an IP or a tunnel). */
  readonly verifyIdentity: boolean;
}

export const USAGE = `usage: npm run db:audit -- --user USER --password-file FILE --database DB [options]
  --host HOST                 server address (default 127.0.0.1)
  --port PORT                 server port (default 3306)
  --user USER                 audit user (needs SELECT on DB.* and on performance_schema.*)
  --password-file FILE        file holding the password (first line); never pass it on the command line
  --database DB               schema to audit
  --slow-log FILE             MariaDB slow query log to rank (optional)
  --out DIR                   where report.md, report.json and migration.sql go (default ./db-audit-report)
  --top N                     digests to EXPLAIN and advise (default 5)
  --sample-rows N             profile at most N rows per table (default 1000000)
  --unused-min-uptime-days D  report unused indexes only after D days of uptime (default 7)
  --min-rows N                data checks need at least N rows in a table (default 100)
  --no-performance-schema     do not read performance_schema (digests, index usage)
  --max-statement-seconds S   server-side limit for each audit statement (default 60)
  --ssl-ca FILE               connect with TLS, trusting the CA in FILE (needed for REQUIRE SSL accounts)
  --ssl-cert FILE, --ssl-key FILE  client certificate and key (accounts with REQUIRE X509)
  --ssl-verify-server-cert    also check that the server certificate names --host
  --scratch-database DB2      re-check each proposed index on this copy of the schema (created, EXPLAINed, dropped)
  --allow-partial             audit even when some tables of DB are not readable (they are listed as a warning)`;

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+(\.\d+)?$/.test(raw) || value < min || value > max) {
    throw new AuditError(`--${name}: "${raw}" is not a number between ${min} and ${max}`);
  }
  return value;
}

export function parseAuditOptions(argv: readonly string[]): AuditOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' }, port: { type: 'string' }, user: { type: 'string' },
        'password-file': { type: 'string' }, database: { type: 'string' }, 'slow-log': { type: 'string' },
        out: { type: 'string' }, top: { type: 'string' }, 'sample-rows': { type: 'string' },
        'unused-min-uptime-days': { type: 'string' }, 'min-rows': { type: 'string' },
        'no-performance-schema': { type: 'boolean' }, 'max-statement-seconds': { type: 'string' },
        'ssl-ca': { type: 'string' }, 'ssl-cert': { type: 'string' }, 'ssl-key': { type: 'string' },
        'ssl-verify-server-cert': { type: 'boolean' }, 'allow-partial': { type: 'boolean' }, 'scratch-database': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new AuditError(`${(error as Error).message.split('\n')[0]}\n${USAGE}`);
  }
  const str = (name: string) => values[name] as string | undefined;
  for (const required of ['user', 'password-file', 'database']) {
    if (!str(required)) throw new AuditError(`--${required} is required\n${USAGE}`);
  }
  const passwordFile = str('password-file')!;
  let password: string;
  try {
    password = readFileSync(passwordFile, 'utf8').split(/\r?\n/)[0]!;
  } catch (error) {
    throw new AuditError(`--password-file ${passwordFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (password === '') throw new AuditError(`--password-file ${passwordFile}: the first line is empty`);
  const pem = (name: string, what: RegExp, label: string): string | undefined => {
    const file = str(name);
    if (file === undefined) return undefined;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new AuditError(`--${name} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (!what.test(text)) throw new AuditError(`--${name} ${file}: not a PEM ${label} (no "-----BEGIN ${label.toUpperCase()}" line)`);
    return text;
  };
  const ca = pem('ssl-ca', /-----BEGIN CERTIFICATE-----/, 'certificate');
  const cert = pem('ssl-cert', /-----BEGIN CERTIFICATE-----/, 'certificate');
  const key = pem('ssl-key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'private key');
  if ((cert === undefined) !== (key === undefined)) throw new AuditError('--ssl-cert and --ssl-key go together: give both or neither');
  if (cert !== undefined && ca === undefined) throw new AuditError('--ssl-cert needs --ssl-ca (the CA that signed the server certificate)');
  if (str('scratch-database') !== undefined && str('scratch-database') === str('database')) {
    throw new AuditError(`--scratch-database ${str('scratch-database')}: must not be the audited database (the check creates and drops indexes there)`);
  }
  if (values['ssl-verify-server-cert'] === true && ca === undefined) throw new AuditError('--ssl-verify-server-cert needs --ssl-ca');

  return {
    host: str('host') ?? '127.0.0.1',
    port: integer('port', str('port'), 3306, 1, 65_535),
    user: str('user')!,
    password,
    database: str('database')!,
    slowLog: str('slow-log') ?? null,
    outDir: str('out') ?? 'db-audit-report',
    topDigests: integer('top', str('top'), 5, 1, 100),
    sampleRows: integer('sample-rows', str('sample-rows'), 1_000_000, 100, 1e9),
    unusedIndexMinUptimeSeconds: Math.round(integer('unused-min-uptime-days', str('unused-min-uptime-days'), 7, 0, 3650) * 86_400),
    minRowsForDataChecks: integer('min-rows', str('min-rows'), 100, 1, 1e9),
    usePerformanceSchema: values['no-performance-schema'] !== true,
    maxStatementSeconds: integer('max-statement-seconds', str('max-statement-seconds'), 60, 1, 86_400),
    tls: ca === undefined ? null : { ca, ...(cert !== undefined ? { cert, key } : {}), verifyIdentity: values['ssl-verify-server-cert'] === true },
    allowPartial: values['allow-partial'] === true,
    scratchDatabase: str('scratch-database') ?? null,
  };
}
