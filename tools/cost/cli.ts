/**
 * `npm run cost -- --env production [--env staging] [--all] [--json]`: prints the monthly bill at
 * minimum and maximum scale. The committed report, docs/cost.md, is written by `npm run synth`
 * (its one writer, with the manifests, so it never drifts from them).
 * `--environments-dir DIR` loads the environment files from DIR, as synth's option does.
 * Only this entry point prints errors and sets the exit code.
 */
import { parseArgs } from 'node:util';
import { ConfigError, ENVIRONMENTS_DIR } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { CostError, estimateCost } from './estimate.js';
import { renderJson, renderMarkdownTable } from './render.js';
import { selectEnvironments } from './select.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      env: { type: 'string', multiple: true, default: [] },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      // As synth's: load the environment files from another folder (tests, trying a change).
      'environments-dir': { type: 'string', default: ENVIRONMENTS_DIR },
    },
  });
  const environments = selectEnvironments(await loadEnvironments(values['environments-dir']), values.env ?? [], values.all ?? false);
  const estimates = environments.map((e) => estimateCost(e.config));
  process.stdout.write(values.json ? renderJson(estimates) : estimates.map(renderMarkdownTable).join('\n'));
}

main().catch((error: unknown) => {
  // User mistakes (bad config, unknown environment, bad flag) print a message, not a stack trace.
  const known = error instanceof ConfigError || error instanceof CostError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  console.error(`cost: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}`);
  process.exitCode = 1;
});
