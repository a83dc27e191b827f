/**
 * `npm run diagram`: prints docs/architecture.md as a fresh render of every environment (synth is
 * the one writer of the committed file, with the manifests).
 * `npm run diagram -- --check`: exits 1 when the committed file differs from a fresh render.
 * `--file PATH` checks another file instead (tests use it).
 * Only this entry point prints errors and sets the exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, REPO_ROOT } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { DIAGRAM_DOC_COMMAND, DIAGRAM_DOC_PATH, renderArchitectureDocument } from './document.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, file: { type: 'string', default: DIAGRAM_DOC_PATH } } });
  // Render everything first: an invalid environment throws here and nothing is written.
  const fresh = renderArchitectureDocument(await loadEnvironments());
  const file = values.file ?? DIAGRAM_DOC_PATH;
  const target = resolve(REPO_ROOT, file);
  if (values.check) {
    const committed = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (committed !== fresh) {
      console.error(`diagram: ${file} is stale: run \`${DIAGRAM_DOC_COMMAND}\` and commit the result`);
      process.exitCode = 1;
      return;
    }
    console.log(`diagram: ${file} is up to date`);
    return;
  }
  process.stdout.write(fresh);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  console.error(`diagram: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}`);
  process.exitCode = 1;
});
