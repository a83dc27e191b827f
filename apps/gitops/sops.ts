/**
 * Thin wrappers around the sops CLI. Plaintext only ever touches a private temp file outside the
 * repository; the creation rule (age recipient, encrypted_regex) comes from .sops.yaml through
 * --filename-override, so the file is encrypted exactly as `sops` would for that path.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/index.js';

/** sops, or a clear error saying how to install it (instead of `spawnSync sops ENOENT`). */
function runSops(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): string {
  try {
    return execFileSync('sops', args, { ...options, encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('sops is not installed (or not on PATH): run `bash .ci/install.d/30-gitops.sh`, which installs the pinned sops and age under ~/.cache/marketplace-platform/bin, then `source .ci/lib.sh` to put it on PATH');
    }
    throw error;
  }
}

function withTempFile<T>(content: string, use: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'sops-'));
  try {
    const path = join(dir, 'secret.yaml');
    writeFileSync(path, content, { mode: 0o600 });
    return use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Encrypts YAML as if it were stored at `targetPath` (repo-relative). */
export function sopsEncrypt(plaintext: string, targetPath: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return withTempFile(plaintext, (input) =>
    runSops(['--encrypt', '--filename-override', targetPath, input], { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env }),
  );
}

/** Decrypts SOPS YAML (needs SOPS_AGE_KEY or SOPS_AGE_KEY_FILE in `env`). */
export function sopsDecrypt(ciphertext: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return withTempFile(ciphertext, (input) =>
    runSops(['--decrypt', '--input-type', 'yaml', '--output-type', 'yaml', input], { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env }),
  );
}
