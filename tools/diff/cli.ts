/**
 * `npm run diff -- --base <git-ref> [--format text|markdown] [--output FILE] [--max-chars N]`
 *
 * Synthesizes the base ref (in a temporary git worktree, with that ref's own code and config)
 * and the working tree, then prints per environment a resource-level diff with danger flags.
 * Exit codes: 0 no changes, 1 changes, 2 changes with danger flags, 3 the tool failed.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { writeFiles } from '../../apps/lib/write-files.js';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../../apps/config/index.js';
import { diffEnvironment } from './environment-diff.js';
import { loadEnvironmentTree } from './load-tree.js';
import { DEFAULT_MAX_CHARS, renderMarkdown, renderText, type EnvironmentDiff } from './report.js';

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

/** Synthesizes `ref` in a worktree; returns its environments/ folder. */
function synthesizeRef(ref: string, work: string): string {
  const tree = join(work, 'base');
  run('git', ['worktree', 'add', '--detach', '--quiet', tree, ref], REPO_ROOT);
  if (existsSync(join(tree, 'apps', 'main.ts'))) {
    if (!existsSync(join(tree, 'node_modules'))) symlinkSync(join(REPO_ROOT, 'node_modules'), join(tree, 'node_modules'));
    run('npx', ['tsx', 'apps/main.ts'], tree);
  }
  return join(tree, 'environments');
}

/** Synthesizes the working tree into `work/head`, with its hand-managed secrets beside. */
function synthesizeWorkingTree(work: string): string {
  const out = join(work, 'head');
  run('npx', ['tsx', 'apps/main.ts', '--out', out], REPO_ROOT);
  const envs = join(REPO_ROOT, 'environments');
  for (const env of readdirSync(envs, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const secrets = join(envs, env.name, 'secrets');
    if (existsSync(secrets)) cpSync(secrets, join(out, 'environments', env.name, 'secrets'), { recursive: true });
  }
  return join(out, 'environments');
}

export function diffTrees(baseDir: string, headDir: string): EnvironmentDiff[] {
  const base = loadEnvironmentTree(baseDir);
  const head = loadEnvironmentTree(headDir);
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  return names.map((environment) => diffEnvironment(environment, base.get(environment), head.get(environment)));
}

function main(): number {
  const { values } = parseArgs({
    options: {
      base: { type: 'string', default: 'HEAD' },
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      'max-chars': { type: 'string', default: String(DEFAULT_MAX_CHARS) },
    },
  });
  if (!['text', 'markdown'].includes(values.format)) throw new Error(`--format must be text or markdown, not "${values.format}"`);
  const work = mkdtempSync(join(tmpdir(), 'platform-diff-'));
  try {
    const diffs = diffTrees(synthesizeRef(values.base, work), synthesizeWorkingTree(work));
    const report = values.format === 'markdown' ? renderMarkdown(diffs, Number(values['max-chars'])) : renderText(diffs);
    if (values.output) writeFiles(dirname(resolve(values.output)), new Map([[basename(values.output), `${report}\n`]]));
    else console.log(report);
    if (diffs.some((d) => d.dangers.length > 0)) return 2;
    return diffs.some((d) => d.changes.length > 0) ? 1 : 0;
  } finally {
    try {
      run('git', ['worktree', 'remove', '--force', join(work, 'base')], REPO_ROOT);
    } catch {
      // The worktree was never created (bad ref): nothing to remove.
    }
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (error) {
  const message = error instanceof Error ? ((error as { stderr?: string }).stderr || error.message) : String(error);
  console.error(`diff: ${message.trim()}`);
  process.exitCode = 3;
}
