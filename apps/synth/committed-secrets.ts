/**
 * The SOPS-encrypted Secrets committed under environments/<env>/secrets/, read as they are on
 * disk (nothing is decrypted), for the pod checksum annotations (charts/lib/config-checksums.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../config/index.js';
import type { SecretDataReader } from '../../charts/lib/config-checksums.js';

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? yamlFiles(path) : path.endsWith('.yaml') ? [path] : [];
  });
}

/** Secret name -> its encrypted `data` and `stringData`, as committed for this environment. */
export function committedSecretData(env: string, repoRoot = REPO_ROOT): SecretDataReader {
  const secrets = new Map<string, Record<string, unknown>>();
  for (const file of yamlFiles(join(repoRoot, 'environments', env, 'secrets'))) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const o = doc.toJS() as { kind?: string; metadata?: { name?: string }; data?: unknown; stringData?: unknown } | null;
      if (o?.kind !== 'Secret' || !o.metadata?.name) continue;
      secrets.set(o.metadata.name, { data: o.data ?? {}, stringData: o.stringData ?? {} });
    }
  }
  return (name) => secrets.get(name);
}
