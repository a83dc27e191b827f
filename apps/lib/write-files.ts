/**
 * The one way the repo's commands write files (synth, db-audit, cdk8s synth, diff --output,
 * secrets:scaffold): everything is staged in a temporary folder beside the target first and then
 * moved into place, so a failure midway never leaves a mix of old and new files. Owned folders
 * are replaced whole (files no longer rendered disappear); other files are written only when
 * their content changed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface WriteSummary {
  readonly written: number;
  readonly unchanged: number;
}

export interface WriteOptions {
  /** Folders (relative to outDir) whose whole content is `files` under them. */
  readonly ownedDirs?: readonly string[];
  /** File mode for new files (secrets: 0o600). */
  readonly mode?: number;
}

/** Writes `files` (path relative to outDir → content) all or nothing. */
export function writeFiles(outDir: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): WriteSummary {
  const ownedDirs = options.ownedDirs ?? [];
  // Beside the targets (same file system, so every move is a rename), removed whatever happens.
  mkdirSync(outDir, { recursive: true });
  const stage = mkdtempSync(join(outDir, '.write-'));
  let written = 0;
  let unchanged = 0;
  try {
    const isOwned = (path: string) => ownedDirs.some((dir) => path.startsWith(`${dir}/`));
    const loose: string[] = [];
    for (const [path, content] of files) {
      const target = join(outDir, path);
      if (!isOwned(path)) {
        if (existsSync(target) && readFileSync(target, 'utf8') === content) {
          unchanged++;
          continue;
        }
        loose.push(path);
      }
      mkdirSync(dirname(join(stage, path)), { recursive: true });
      writeFileSync(join(stage, path), content, options.mode === undefined ? {} : { mode: options.mode });
      written++;
    }
    // Every target folder exists before the first move, so a path that cannot be created (a file
    // where a folder must be) fails here, with nothing moved yet.
    for (const path of loose) mkdirSync(dirname(join(outDir, path)), { recursive: true });
    for (const dir of ownedDirs) mkdirSync(dirname(join(outDir, dir)), { recursive: true });
    for (const dir of ownedDirs) {
      const target = join(outDir, dir);
      const staged = join(stage, dir);
      const old = `${staged}.old`;
      mkdirSync(staged, { recursive: true });
      if (existsSync(target)) renameSync(target, old);
      renameSync(staged, target);
      rmSync(old, { recursive: true, force: true });
    }
    for (const path of loose) renameSync(join(stage, path), join(outDir, path));
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return { written, unchanged };
}
