/**
 * Discovery and loading of environments: every `apps/environments/<name>.ts` except `base.ts`
 * is one environment. Adding an environment is adding one file.
 */
import { readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './errors.js';
import type { EnvironmentConfig } from './schema.js';
import type { Rule } from './rules.js';
import { validateEnvironment } from './validate.js';

export const REPO_ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const ENVIRONMENTS_DIR = join(REPO_ROOT, 'apps', 'environments');

export interface LoadedEnvironment {
  readonly name: string;
  /** Repo-relative path of the file that defines it, for error messages. */
  readonly file: string;
  readonly config: EnvironmentConfig;
}

export function environmentFiles(dir = ENVIRONMENTS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'base.ts' && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(dir, f));
}

/** Imports and validates one environment file. Its name must equal the file name. */
export async function loadEnvironmentFile(path: string, rules: readonly Rule[]): Promise<LoadedEnvironment> {
  const file = relative(REPO_ROOT, path);
  const name = basename(path, '.ts');
  const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  if (module.default === undefined) {
    throw new ConfigError(file, name, [{ path: '', reason: 'the file has no default export (export default environment(...))' }]);
  }
  const config = validateEnvironment(module.default, file, name, rules);
  if (config.name !== name) {
    throw new ConfigError(file, name, [{ path: 'name', reason: `"${config.name}" must equal the file name "${name}"` }]);
  }
  return { name, file, config };
}

/** Loads every environment; throws on the first invalid one, before anything is written. */
export async function loadEnvironments(dir: string, rules: readonly Rule[]): Promise<LoadedEnvironment[]> {
  const loaded: LoadedEnvironment[] = [];
  for (const path of environmentFiles(dir)) loaded.push(await loadEnvironmentFile(path, rules));
  return loaded;
}
