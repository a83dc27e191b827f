/**
 * The pinned third-party charts as a local Helm repository (`index.yaml` + one tgz per chart):
 * `$HELM_CHARTS_DIR`, by default `../shared/helm-charts` beside the repository clone (see below). A chart is
 * found by name and version through index.yaml, and its tgz must have the digest the index lists,
 * so what is rendered is exactly the pinned artifact.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../../apps/config/index.js';

/**
 * $HELM_CHARTS_DIR, else `shared/helm-charts` beside the clone, else (in a git worktree) beside
 * the clone's main checkout, which is where the shared folder sits on a developer machine.
 */
function defaultChartsDir(): string {
  const besideClone = join(REPO_ROOT, '..', 'shared', 'helm-charts');
  if (existsSync(besideClone)) return besideClone;
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10_000 }).trim();
    const besideMain = join(dirname(dirname(common)), 'shared', 'helm-charts');
    if (existsSync(besideMain)) return besideMain;
  } catch {
    // not a git checkout: keep the default, whose absence the caller reports
  }
  return besideClone;
}

export const HELM_CHARTS_DIR = resolve(process.env.HELM_CHARTS_DIR || defaultChartsDir());

export interface ChartArchive {
  readonly chart: string;
  readonly version: string;
  readonly path: string;
  /** sha256 of the tgz, as index.yaml lists it. */
  readonly digest: string;
}

interface IndexEntry { version?: unknown; digest?: unknown; urls?: unknown }

export function chartArchive(chart: string, version: string, dir = HELM_CHARTS_DIR): ChartArchive {
  const indexPath = join(dir, 'index.yaml');
  if (!existsSync(indexPath)) {
    throw new Error(`${indexPath} is missing: set HELM_CHARTS_DIR to the local Helm repository of the pinned charts`);
  }
  const index = parse(readFileSync(indexPath, 'utf8')) as { entries?: Record<string, IndexEntry[]> };
  const entry = (index.entries?.[chart] ?? []).find((e) => e.version === version);
  const url = Array.isArray(entry?.urls) ? entry.urls[0] : undefined;
  if (!entry || typeof url !== 'string' || typeof entry.digest !== 'string') {
    const known = (index.entries?.[chart] ?? []).map((e) => String(e.version)).join(', ') || 'none';
    throw new Error(`${indexPath}: chart ${chart} version ${version} is not in the repository (versions: ${known})`);
  }
  if (/^[a-z]+:\/\//.test(url) || isAbsolute(url)) throw new Error(`${indexPath}: ${chart} ${version}: url ${url} is not a file in the repository`);
  const path = join(dir, url);
  const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (actual !== entry.digest) throw new Error(`${path}: sha256 ${actual} differs from ${entry.digest} in ${indexPath}`);
  return { chart, version, path, digest: actual };
}
