// Real sops + age: a throwaway key made in the test encrypts, decrypts and round-trips a Secret
// exactly as the repository's .sops.yaml rules do; the committed files resist a wrong key.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../apps/config/index.js';
import { secretFiles } from '../../../apps/gitops/secret-files.js';
import { sopsDecrypt, sopsEncrypt } from '../../../apps/gitops/sops.js';

const work = mkdtempSync(join(tmpdir(), 'sops-test-'));
const keyFile = join(work, 'age.key');
execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
const recipient = readFileSync(keyFile, 'utf8').match(/public key: (age1[0-9a-z]+)/)![1];
// The same rule shape as the repository's .sops.yaml, for the throwaway key.
writeFileSync(join(work, '.sops.yaml'), readFileSync(join(REPO_ROOT, '.sops.yaml'), 'utf8').replace(/age1[0-9a-z]+/g, recipient));

const secret = `apiVersion: v1
kind: Secret
metadata:
  name: app-secrets
  namespace: marketplace
type: Opaque
stringData:
  APP_KEY: base64:c2VjcmV0LWtleS1mb3ItdGVzdHM=
  DB_PASSWORD: correct horse battery staple
`;
const target = 'environments/staging/secrets/apps/app-secrets.sops.yaml';

describe('sops with a throwaway age key', () => {
  const encrypted = sopsEncrypt(secret, target, { cwd: work });
  const doc = parse(encrypted);

  it('encrypts only the values, keeping names and keys readable', () => {
    expect(doc.metadata).toEqual({ name: 'app-secrets', namespace: 'marketplace' });
    expect(Object.keys(doc.stringData)).toEqual(['APP_KEY', 'DB_PASSWORD']);
    for (const value of Object.values(doc.stringData)) expect(value).toMatch(/^ENC\[AES256_GCM,/);
    expect(encrypted).not.toContain('correct horse');
    expect(doc.sops.age[0].recipient).toBe(recipient);
  });

  it('decrypts back to the original', () => {
    const plain = sopsDecrypt(encrypted, { cwd: work, env: { ...process.env, SOPS_AGE_KEY_FILE: keyFile } });
    expect(parse(plain)).toEqual(parse(secret));
  });

  it('refuses to decrypt without the key, and every committed file with a wrong one', () => {
    const wrong = { ...process.env, SOPS_AGE_KEY_FILE: keyFile };
    expect(() => sopsDecrypt(encrypted, { cwd: work, env: { ...process.env, SOPS_AGE_KEY_FILE: '/nonexistent' } })).toThrow();
    const committed = ['staging', 'production'].flatMap((env) => secretFiles(REPO_ROOT, env));
    expect(committed.length).toBeGreaterThan(0);
    for (const file of committed) expect(() => sopsDecrypt(readFileSync(file, 'utf8'), { env: wrong })).toThrow();
  });
});
