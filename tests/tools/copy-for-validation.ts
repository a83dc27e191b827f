/**
 * CLI: copies a manifest tree for the validators, as Flux would apply it: SOPS metadata removed
 * from encrypted files (see manifests/sops.ts), every other file byte-identical.
 *   tsx tests/tools/copy-for-validation.ts <source dir> <destination dir>
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withoutSopsMetadata } from './manifests/sops.js';

function main(args: string[]): void {
  const [source, destination] = args;
  if (source === undefined || destination === undefined) {
    throw new Error('usage: copy-for-validation.ts <source dir> <destination dir>');
  }
  if (!statSync(source).isDirectory()) throw new Error(`${source}: not a directory`);
  let stripped = 0;
  for (const relative of readdirSync(source, { recursive: true, encoding: 'utf8' }).sort()) {
    const from = join(source, relative);
    if (!statSync(from).isFile()) continue;
    const to = join(destination, relative);
    mkdirSync(dirname(to), { recursive: true });
    const clean = /\.ya?ml$/.test(relative) ? withoutSopsMetadata(readFileSync(from, 'utf8'), from) : null;
    if (clean === null) {
      copyFileSync(from, to);
    } else {
      writeFileSync(to, clean);
      stripped += 1;
    }
  }
  console.log(`${source} copied to ${destination} (${stripped} SOPS files without their sops block)`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(`copy-for-validation: ${(error as Error).message}`);
  process.exit(1);
}
