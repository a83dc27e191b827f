import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAuditOptions } from '../../apps/db-audit/options.js';

const dir = mkdtempSync(join(tmpdir(), 'db-audit-options-'));
const passwordFile = join(dir, 'pw');
writeFileSync(passwordFile, 'secret\n');
const base = ['--user', 'audit', '--password-file', passwordFile, '--database', 'shop'];

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
