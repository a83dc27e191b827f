/**
 * Semantic comparison of two manifest sets: which objects only one side has, and for objects both
 * have, the paths where their content differs.
 */
import type { ManifestEntry } from './manifest-set.js';

export interface ObjectDifference {
  readonly key: string;
  /** JSON-pointer-like paths ("/spec/replicas") where the two objects differ. */
  readonly paths: readonly string[];
}

export interface ManifestComparison {
  readonly onlyLeft: readonly string[];
  readonly onlyRight: readonly string[];
  readonly changed: readonly ObjectDifference[];
}

export function isEqual(comparison: ManifestComparison): boolean {
  return comparison.onlyLeft.length === 0 && comparison.onlyRight.length === 0 && comparison.changed.length === 0;
}

/** Paths where `a` and `b` differ (empty when deeply equal). Arrays compare by position. */
export function differingPaths(a: unknown, b: unknown, path = ''): string[] {
  if (Object.is(a, b)) return [];
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects =
    typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b);
  if (bothArrays) {
    if (a.length !== b.length) return [`${path} (length ${a.length} vs ${b.length})`];
    return a.flatMap((item, i) => differingPaths(item, b[i], `${path}/${i}`));
  }
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) =>
      k in a && k in b
        ? differingPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`)
        : [`${path}/${k} (only on the ${k in a ? 'left' : 'right'})`],
    );
  }
  return [path === '' ? '/' : path];
}

export function compareManifestSets(
  left: ReadonlyMap<string, ManifestEntry>,
  right: ReadonlyMap<string, ManifestEntry>,
): ManifestComparison {
  const onlyLeft = [...left.keys()].filter((k) => !right.has(k)).sort();
  const onlyRight = [...right.keys()].filter((k) => !left.has(k)).sort();
  const changed = [...left.keys()]
    .filter((k) => right.has(k))
    .sort()
    .map((key) => ({ key, paths: differingPaths(left.get(key)!.object, right.get(key)!.object) }))
    .filter((d) => d.paths.length > 0);
  return { onlyLeft, onlyRight, changed };
}

/** Human-readable report, one line per difference. */
export function formatComparison(comparison: ManifestComparison, leftName: string, rightName: string): string {
  return [
    ...comparison.onlyLeft.map((k) => `only in ${leftName}: ${k}`),
    ...comparison.onlyRight.map((k) => `only in ${rightName}: ${k}`),
    ...comparison.changed.map((d) => `differs: ${d.key} at ${d.paths.slice(0, 10).join(', ')}${d.paths.length > 10 ? ', ...' : ''}`),
  ].join('\n');
}
