/**
 * Deep merge used by environment files: objects merge key by key, scalars replace. Arrays replace
 * whole, except with `byName` (what `environment()` uses): a list whose items all carry a `name`
 * (worker groups, node pools, DB replicas) merges item by item, so an environment changes one
 * group without restating the others; a patch item with a new name is appended.
 */

export type DeepPartial<T> = T extends readonly (infer Item)[]
  ? Item extends { name: string }
    ? readonly (DeepPartial<Item> & { name: string })[]
    : T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export interface MergeOptions {
  /** Merge lists of named objects by `name` instead of replacing them. */
  readonly byName?: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isNamedList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item.name === 'string');
}

function mergeNamed(base: Record<string, unknown>[], patch: Record<string, unknown>[], options: MergeOptions): unknown[] {
  const patched = new Map(patch.map((item) => [item.name as string, item]));
  const merged = base.map((item) => {
    const change = patched.get(item.name as string);
    return change === undefined ? item : deepMerge(item, change as never, options);
  });
  const known = new Set(base.map((item) => item.name));
  return [...merged, ...patch.filter((item) => !known.has(item.name))];
}

export function deepMerge<T>(base: T, patch: DeepPartial<T>, options: MergeOptions = {}): T {
  if (options.byName && isNamedList(base) && isNamedList(patch)) return mergeNamed(base, patch, options) as T;
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    out[key] = key in base ? deepMerge((base as Record<string, unknown>)[key], value as never, options) : value;
  }
  return out as T;
}
