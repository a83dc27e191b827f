/**
 * What a chart accepts: its values.yaml with every vendored subchart's values.yaml under the
 * subchart's name (or alias), as helm merges them; and the leaf keys of our values that the chart
 * does not have. A key the chart's values.yaml does not declare is ignored by its templates (or
 * read from a free-form map, which must be allow-listed with a reason).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

type Values = Record<string, unknown>;

export function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function untar(archive: string, into: string): void {
  execFileSync('tar', ['-xzf', archive, '-C', into], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
}

/** values.yaml of the chart folder, each subchart's merged in under its name or alias. */
function folderValues(dir: string): Values {
  const values = (existsSync(join(dir, 'values.yaml')) ? parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) : {}) ?? {};
  const meta = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: Array<{ name: string; alias?: string }> };
  const subcharts = join(dir, 'charts');
  if (!existsSync(subcharts)) return values as Values;
  // Vendored subcharts are folders or tgz files (as `helm dependency build` leaves them).
  for (const entry of readdirSync(subcharts)) {
    let folder = join(subcharts, entry);
    if (entry.endsWith('.tgz')) {
      const out = mkdtempSync(join(tmpdir(), 'subchart-'));
      untar(folder, out);
      folder = join(out, readdirSync(out)[0]!);
    }
    if (!existsSync(join(folder, 'Chart.yaml'))) continue;
    const name = String((parse(readFileSync(join(folder, 'Chart.yaml'), 'utf8')) as { name: string }).name);
    const key = meta.dependencies?.find((d) => d.name === name)?.alias ?? name;
    (values as Values)[key] = mergeValues(folderValues(folder), (values as Values)[key]);
  }
  return values as Values;
}

/** base with override merged in (maps deep, anything else replaced), as helm coalesces values. */
export function mergeValues(base: Values, override: unknown): Values {
  if (!isMap(override)) return base;
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = isMap(v) && isMap(out[k]) ? mergeValues(out[k] as Values, v) : v;
  return out;
}

export function chartValues(archive: string): Values {
  const dir = mkdtempSync(join(tmpdir(), 'chart-'));
  try {
    untar(archive, dir);
    const [top] = readdirSync(dir);
    if (!top) throw new Error(`${archive}: empty archive`);
    return folderValues(join(dir, top));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface IgnoredKey {
  readonly path: string;
  readonly reason: string;
}

/**
 * Every leaf path of `ours` the chart's values do not declare. A path in `passThrough` (a
 * free-form map the chart copies as a whole, e.g. with toYaml) is not descended into, but must
 * exist in the chart. An empty map or null in the chart is free-form: setting keys under it
 * needs an allow-list entry, since the chart may well ignore them.
 */
export function ignoredKeys(ours: Values, chart: Values, passThrough: ReadonlySet<string>, prefix = ''): IgnoredKey[] {
  const found: IgnoredKey[] = [];
  for (const [key, value] of Object.entries(ours)) {
    const path = `${prefix}${key}`;
    if (!(key in chart)) {
      found.push({ path, reason: `the chart's values.yaml has no ${path}` });
      continue;
    }
    if (passThrough.has(path) || !isMap(value)) continue;
    const theirs = chart[key];
    if (!isMap(theirs) || Object.keys(theirs).length === 0) {
      if (Object.keys(value).length > 0) {
        found.push({ path, reason: `the chart's ${path} is ${JSON.stringify(theirs)}, a free-form value: allow-list it with a reason if the chart passes it through` });
      }
      continue;
    }
    found.push(...ignoredKeys(value, theirs, passThrough, `${path}.`));
  }
  return found;
}
