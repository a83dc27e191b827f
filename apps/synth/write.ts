/** Synth's rendered environments and documents, written through the one writer (apps/lib/write-files.ts). */
import { writeFiles, type WriteSummary } from '../lib/write-files.js';
import type { RenderedEnvironment } from './render.js';

export type { WriteSummary } from '../lib/write-files.js';

export function writeRendered(outDir: string, rendered: readonly RenderedEnvironment[]): WriteSummary {
  const files = new Map(rendered.flatMap((r) => [...r.files]));
  return writeFiles(outDir, files, { ownedDirs: rendered.flatMap((r) => r.ownedDirs) });
}
