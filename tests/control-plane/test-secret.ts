/**
 * CLI: prints a SOPS-encrypted Secret of the repo as plaintext with the same name, namespace, type
 * and keys and placeholder values ("test-<key>"), without its sops block:
 *   tsx tests/control-plane/test-secret.ts environments/<env>/secrets/.../x.sops.yaml
 * The environments' age keys are not in git; the suite encrypts this to a throwaway age key and
 * decrypts it with sops, the path kustomize-controller takes with the sops-age Secret.
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const file = process.argv[2];
try {
  if (!file) throw new Error('usage: test-secret.ts <file.sops.yaml>');
  const secret = parse(readFileSync(file, 'utf8'));
  if (secret?.kind !== 'Secret' || !secret.sops) throw new Error(`${file}: not a SOPS-encrypted Secret (kind ${secret?.kind}, sops block ${secret?.sops ? 'present' : 'missing'})`);
  delete secret.sops;
  for (const field of ['stringData', 'data'] as const) {
    if (!secret[field]) continue;
    for (const key of Object.keys(secret[field])) {
      const value = `test-${key}`;
      secret[field][key] = field === 'data' ? Buffer.from(value).toString('base64') : value;
    }
  }
  process.stdout.write(stringify(secret));
} catch (error) {
  console.error(`test-secret: ${(error as Error).message}`);
  process.exit(1);
}
