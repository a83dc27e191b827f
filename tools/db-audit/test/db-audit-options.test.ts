import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAuditOptions } from '../options.js';

const dir = mkdtempSync(join(tmpdir(), 'db-audit-options-'));
const passwordFile = join(dir, 'pw');
writeFileSync(passwordFile, 'secret\n');
const base = ['--user', 'audit', '--password-file', passwordFile, '--database', 'shop'];

const pem = (name: string, text: string) => { writeFileSync(join(dir, name), text); return join(dir, name); };
const CA = pem('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

describe('TLS options', () => {
  it('reads the CA (and client certificate) and verifies the chain; identity only when asked', () => {
    expect(parseAuditOptions([...base, '--ssl-ca', CA]).tls).toEqual({ ca: readFileSync(CA, 'utf8'), verifyIdentity: false });
    expect(parseAuditOptions([...base, '--ssl-ca', CA, '--ssl-verify-server-cert']).tls?.verifyIdentity).toBe(true);
    expect(parseAuditOptions(base).tls).toBeNull();
  });
  it('names a bad or incomplete TLS option', () => {
    expect(() => parseAuditOptions([...base, '--ssl-ca', passwordFile])).toThrow(`--ssl-ca ${passwordFile}: not a PEM certificate (no "-----BEGIN CERTIFICATE" line)`);
    expect(() => parseAuditOptions([...base, '--ssl-ca', join(dir, 'nope.pem')])).toThrow(`--ssl-ca ${join(dir, 'nope.pem')}: cannot read it (ENOENT)`);
    expect(() => parseAuditOptions([...base, '--ssl-ca', CA, '--ssl-cert', CA])).toThrow('--ssl-cert and --ssl-key go together');
    expect(() => parseAuditOptions([...base, '--ssl-verify-server-cert'])).toThrow('--ssl-verify-server-cert needs --ssl-ca');
    expect(() => parseAuditOptions([...base, '--scratch-database', 'shop'])).toThrow('--scratch-database shop: must not be the audited database');
  });
});

describe('parseAuditOptions', () => {
  it('reads the password from the first line of the file and applies defaults', () => {
    expect(parseAuditOptions(base)).toMatchObject({ host: '127.0.0.1', port: 3306, password: 'secret', database: 'shop', slowLog: null, topDigests: 5, unusedIndexMinUptimeSeconds: 7 * 86_400, usePerformanceSchema: true });
  });
  it('names the missing or bad option', () => {
    expect(() => parseAuditOptions(['--user', 'a'])).toThrow('--password-file is required');
    expect(() => parseAuditOptions([...base, '--port', '70000'])).toThrow('--port: "70000" is not a number between 1 and 65535');
    expect(() => parseAuditOptions([...base, '--bogus'])).toThrow("Unknown option '--bogus'");
  });
  it('names an unreadable or empty password file', () => {
    expect(() => parseAuditOptions(['--user', 'a', '--database', 'd', '--password-file', join(dir, 'missing')])).toThrow(`--password-file ${join(dir, 'missing')}: cannot read it (ENOENT)`);
    writeFileSync(join(dir, 'empty'), '\n');
    expect(() => parseAuditOptions(['--user', 'a', '--database', 'd', '--password-file', join(dir, 'empty')])).toThrow('the first line is empty');
  });
});
