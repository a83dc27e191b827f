/**
 * `npm run cost -- --env production [--env staging] [--json]`: the monthly bill at minimum and
 * maximum scale. `--all --write docs/cost.md` regenerates the committed report.
 * `--environments-dir DIR` loads the environment files from DIR, as synth's option does.
 * Only this entry point prints errors and sets the exit code.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, ENVIRONMENTS_DIR, loadEnvironments, REPO_ROOT } from '../config/index.js';
import { CostError, estimateCost } from './estimate.js';
import { renderCostDocument, renderJson, renderMarkdownTable } from './render.js';
import { selectEnvironments } from './select.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      env: { type: 'string', multiple: true, default: [] },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      write: { type: 'string' },
      // As synth's: load the environment files from another folder (tests, trying a change).
      'environments-dir': { type: 'string', default: ENVIRONMENTS_DIR },
    },
  });
  const environments = selectEnvironments(await loadEnvironments(values['environments-dir']), values.env ?? [], values.all ?? false);
  const estimates = environments.map((e) => estimateCost(e.config));
  if (values.write) {
    // Everything is rendered before anything is written; the rename makes the write all-or-nothing.
    const content = values.json ? renderJson(estimates) : renderCostDocument(estimates);
    const target = resolve(REPO_ROOT, values.write);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.tmp`, content);
    renameSync(`${target}.tmp`, target);
    console.log(`wrote ${values.write} (${estimates.map((e) => e.environment).join(', ')})`);
    return;
  }
  process.stdout.write(values.json ? renderJson(estimates) : estimates.map(renderMarkdownTable).join('\n'));
}

main().catch((error: unknown) => {
  // User mistakes (bad config, unknown environment, bad flag) print a message, not a stack trace.
  const known = error instanceof ConfigError || error instanceof CostError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  console.error(`cost: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}`);
  process.exitCode = 1;
});
