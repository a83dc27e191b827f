/**
 * A real Laravel 12 app for seam tests: the skeleton installed offline (install-skeleton.sh,
 * cached outside the clone), copied into a temporary directory, optionally with the config lines
 * of docs/app-contract.md applied, and run with a given environment.
 *
 * Reusable: `prepareApp` gives an app directory, `podPaths` local stand-ins for a pod's mounts,
 * `runInApp` runs artisan with exactly a given env, `resolvedConfig` prints config(...) as booted.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../apps/config/index.js';
import type { ContractLine } from './contract.js';

const HERE = join(REPO_ROOT, 'tests', 'integration', 'laravel');

/** Installs the skeleton once (cached by versions.lock.txt) and returns its directory. */
export function skeletonDir(): string {
  return execFileSync('bash', [join(HERE, 'install-skeleton.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export interface PreparedApp {
  readonly dir: string;
  remove(): void;
}

function phpString(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * Applies contract lines to config/<file>: the skeleton's file moves to config-skeleton/ (outside
 * config/, so Laravel does not load it as a config file of its own) and config/<file> becomes
 * "the skeleton's array, with these keys set". A file the skeleton lacks starts empty.
 */
export function applyContractLines(appDir: string, lines: readonly ContractLine[]): void {
  const byFile = new Map<string, ContractLine[]>();
  for (const line of lines) byFile.set(line.file, [...(byFile.get(line.file) ?? []), line]);
  mkdirSync(join(appDir, 'config-skeleton'), { recursive: true });
  for (const [file, fileLines] of byFile) {
    const original = join(appDir, 'config', file);
    const kept = join(appDir, 'config-skeleton', file);
    const hasOriginal = existsSync(original);
    if (hasOriginal) renameSync(original, kept);
    const php = [
      '<?php',
      '// docs/app-contract.md applied to the skeleton file by tests/integration/laravel.',
      hasOriginal ? `$config = require dirname(__DIR__).'/config-skeleton/${file}';` : '$config = [];',
      ...fileLines.map((l) => `\\Illuminate\\Support\\Arr::set($config, ${phpString(l.key)}, ${l.value});`),
      'return $config;',
      '',
    ].join('\n');
    writeFileSync(original, php);
  }
}

/**
 * vendor/ of the copy: the packages linked from the cache, but Composer's autoloader copied, since
 * it maps App\\ relative to its own real path (a linked one would load the cache's app/).
 */
function linkVendor(skeleton: string, dir: string): void {
  mkdirSync(join(dir, 'vendor'));
  for (const entry of readdirSync(join(skeleton, 'vendor'))) {
    const from = join(skeleton, 'vendor', entry);
    if (entry === 'autoload.php' || entry === 'composer') cpSync(from, join(dir, 'vendor', entry), { recursive: true });
    else symlinkSync(from, join(dir, 'vendor', entry));
  }
}

/** A private copy of the skeleton (packages linked, not copied), with contract lines applied. */
export function prepareApp(lines: readonly ContractLine[] = []): PreparedApp {
  const skeleton = skeletonDir();
  const dir = mkdtempSync(join(tmpdir(), 'laravel-app-'));
  for (const entry of readdirSync(skeleton)) {
    if (entry === 'vendor') linkVendor(skeleton, dir);
    else cpSync(join(skeleton, entry), join(dir, entry), { recursive: true });
  }
  cpSync(join(HERE, 'print-config.php'), join(dir, 'print-config.php'));
  // Test fixtures: a job that records which process ran it, and a script that queues it.
  mkdirSync(join(dir, 'app', 'Jobs'), { recursive: true });
  cpSync(join(HERE, 'fixtures', 'RecordingJob.php'), join(dir, 'app', 'Jobs', 'RecordingJob.php'));
  cpSync(join(HERE, 'fixtures', 'dispatch.php'), join(dir, 'dispatch.php'));
  applyContractLines(dir, lines);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Container paths the env points at, mapped to local directories: the app root to the app copy,
 * every other mount to a fresh directory per pod run (an emptyDir is empty at pod start).
 */
export function mapPaths(env: Record<string, string>, paths: ReadonlyMap<string, string>): Record<string, string> {
  const sorted = [...paths].sort((a, b) => b[0].length - a[0].length);
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => {
      const hit = sorted.find(([from]) => v === from || v.startsWith(`${from}/`));
      return [k, hit ? hit[1] + v.slice(hit[0].length) : v];
    }),
  );
}

/** Only PATH and HOME from the test process: the app sees the pod's env and nothing else. */
export function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env };
}

/** Runs an artisan (or any php) command line in the app with exactly `env`; throws on failure. */
export function runInApp(app: PreparedApp, argv: readonly string[], env: Record<string, string>): string {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd!, args, { cwd: app.dir, env: processEnv(env), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** config(key) for each key, as the app resolves it with `env` (after whatever ran before). */
export function resolvedConfig(app: PreparedApp, env: Record<string, string>, keys: readonly string[]): Record<string, unknown> {
  return JSON.parse(runInApp(app, ['php', 'print-config.php', ...keys], env)) as Record<string, unknown>;
}

export interface PodRun {
  /** Local directory standing in for each container mount path. */
  readonly paths: ReadonlyMap<string, string>;
  remove(): void;
}

/** Fresh local directories for a pod's mounts, and the app root mapped to the app copy. */
export function podPaths(app: PreparedApp, appRoot: string, mountPaths: readonly string[]): PodRun {
  const base = mkdtempSync(join(tmpdir(), 'laravel-pod-'));
  const paths = new Map<string, string>([[appRoot, app.dir]]);
  mountPaths
    .filter((p) => p !== appRoot && !p.startsWith(`${appRoot}/`))
    .forEach((p, i) => {
      const dir = join(base, String(i));
      mkdirSync(dir, { recursive: true });
      paths.set(p, dir);
    });
  return { paths, remove: () => rmSync(base, { recursive: true, force: true }) };
}
