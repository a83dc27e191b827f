/**
 * Writes a folder of JSON schema files all at once: into a temporary sibling first, renamed into
 * place only when every file is written, so a failed run never leaves a half-filled cache folder.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Schema } from './schema/json-schema.js';

/** Writes `files` (relative path -> schema, or text written as is) as the folder `outDir`. */
export function writeSchemaDir(outDir: string, files: ReadonlyMap<string, Schema | string>): void {
  const staging = `${outDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [name, schema] of files) {
      const path = join(staging, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, typeof schema === 'string' ? schema : JSON.stringify(schema));
    }
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(dirname(outDir), { recursive: true });
    renameSync(staging, outDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
