/** Reading an environment's SOPS-encrypted secret files (environments/<env>/secrets/**). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const SECRETS_FOLDER = 'secrets';
export const SOPS_SUFFIX = '.sops.yaml';

export interface SecretDocument {
  /** Repo-relative path. */
  readonly file: string;
  readonly doc: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

export function secretFiles(repoRoot: string, env: string): string[] {
  return walk(join(repoRoot, 'environments', env, SECRETS_FOLDER)).filter((f) => f.endsWith(SOPS_SUFFIX)).sort();
}

export function readSecretDocuments(repoRoot: string, env: string): SecretDocument[] {
  return secretFiles(repoRoot, env).flatMap((path) =>
    parseAllDocuments(readFileSync(path, 'utf8')).map((d) => ({ file: relative(repoRoot, path), doc: d.toJS() })),
  );
}

/**
 * Problems that would put a secret value in git in plaintext: a Secret whose data/stringData
 * values are not all SOPS ciphertext (ENC[...]), or a file without SOPS metadata.
 */
export function plaintextProblems(documents: readonly SecretDocument[]): string[] {
  const problems: string[] = [];
  for (const { file, doc } of documents) {
    if (!doc?.sops) problems.push(`${file}: not SOPS-encrypted (no sops metadata)`);
    for (const field of ['data', 'stringData'] as const) {
      for (const [key, value] of Object.entries(doc?.[field] ?? {})) {
        if (typeof value !== 'string' || !value.startsWith('ENC[')) {
          problems.push(`${file}: ${field}.${key} is in plaintext`);
        }
      }
    }
  }
  return problems;
}
