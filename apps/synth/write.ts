/**
 * The only place synth writes files. Everything is staged in a temporary folder first and then
 * moved into place, so an I/O failure midway does not leave a mix of old and new files; owned
 * folders are replaced whole (files no longer rendered disappear), other files are written only
 * when their content changed.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RenderedEnvironment } from './render.js';

export interface WriteSummary {
  readonly written: number;
  readonly unchanged: number;
}

export function writeRendered(outDir: string, rendered: readonly RenderedEnvironment[]): WriteSummary {
  const stage = join(outDir, '.tmp', `synth-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  let written = 0;
  let unchanged = 0;
  try {
    const ownedDirs = rendered.flatMap((r) => r.ownedDirs);
    const isOwned = (path: string) => ownedDirs.some((dir) => path.startsWith(`${dir}/`));
    const loose: string[] = [];
    for (const env of rendered) {
      for (const [path, content] of env.files) {
        const target = join(outDir, path);
        if (!isOwned(path)) {
          if (existsSync(target) && readFileSync(target, 'utf8') === content) {
            unchanged++;
            continue;
          }
          loose.push(path);
        }
        mkdirSync(dirname(join(stage, path)), { recursive: true });
        writeFileSync(join(stage, path), content);
        written++;
      }
    }
    for (const dir of ownedDirs) {
      const target = join(outDir, dir);
      const staged = join(stage, dir);
      const old = `${staged}.old`;
      mkdirSync(dirname(target), { recursive: true });
      if (existsSync(target)) renameSync(target, old);
      renameSync(staged, target);
      rmSync(old, { recursive: true, force: true });
    }
    for (const path of loose) {
      mkdirSync(dirname(join(outDir, path)), { recursive: true });
      renameSync(join(stage, path), join(outDir, path));
    }
  } finally {
    rmSync(join(outDir, '.tmp'), { recursive: true, force: true });
  }
  return { written, unchanged };
}
