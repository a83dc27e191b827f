/**
 * Resource-level diff of two sets of Kubernetes objects: which objects were added, removed or
 * changed, and for changed ones every field path with its old and new value. Secret values are
 * never shown: a Secret's changes are reported as changed keys only.
 */

type Json = unknown;
export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FieldChange {
  /** Dotted path, list items by index or by `name` when the items have one: containers[php-fpm].image */
  readonly path: string;
  readonly before?: Json;
  readonly after?: Json;
}

export interface ObjectChange {
  readonly id: string;
  readonly kind: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: Obj;
  readonly after?: Obj;
  readonly fields: readonly FieldChange[];
}

/** Identity that survives an apiVersion bump: group/kind/namespace/name. */
export function objectId(o: Obj): string {
  const group = String(o.apiVersion ?? '').includes('/') ? String(o.apiVersion).split('/')[0] : 'core';
  return `${group}/${o.kind}/${o.metadata?.namespace ?? '-'}/${o.metadata?.name}`;
}

const MASK = '(secret value)';

function isObj(v: Json): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Items with unique `name` fields are matched by name (containers, env, ports, volumes). */
function byName(list: Json[]): Map<string, Json> | undefined {
  if (!list.every((i) => isObj(i) && typeof i.name === 'string')) return undefined;
  const map = new Map(list.map((i) => [(i as Obj).name as string, i]));
  return map.size === list.length ? map : undefined;
}

export function fieldChanges(before: Json, after: Json, path = ''): FieldChange[] {
  if (sameJson(before, after)) return [];
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => fieldChanges(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = byName(before);
    const b = byName(after);
    if (a && b) {
      const names = [...new Set([...a.keys(), ...b.keys()])];
      return names.flatMap((n) => fieldChanges(a.get(n), b.get(n), `${path}[${n}]`));
    }
    if (before.length === after.length) return before.flatMap((v, i) => fieldChanges(v, after[i], `${path}[${i}]`));
  }
  return [{ path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
}

function maskSecret(o: Obj): Obj {
  if (o.kind !== 'Secret') return o;
  const masked: Obj = { ...o };
  for (const field of ['data', 'stringData']) {
    if (isObj(o[field])) masked[field] = Object.fromEntries(Object.keys(o[field]).map((k) => [k, MASK]));
  }
  return masked;
}

/** Secret changes as key-level changes; SOPS ciphertext differs on every re-encryption. */
function secretFieldChanges(before: Obj, after: Obj): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ['data', 'stringData']) {
    const a: Obj = before[field] ?? {};
    const b: Obj = after[field] ?? {};
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (!(key in a)) changes.push({ path: `${field}.${key}`, after: '(added)' });
      else if (!(key in b)) changes.push({ path: `${field}.${key}`, before: '(removed)' });
      else if (a[key] !== b[key]) changes.push({ path: `${field}.${key}`, before: MASK, after: '(changed)' });
    }
  }
  const rest = (o: Obj) => {
    const { data: _d, stringData: _s, sops: _sops, ...others } = o;
    return others;
  };
  return [...changes, ...fieldChanges(rest(before), rest(after))];
}

export function diffObjects(before: readonly Obj[], after: readonly Obj[]): ObjectChange[] {
  const a = new Map(before.map((o) => [objectId(o), o]));
  const b = new Map(after.map((o) => [objectId(o), o]));
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: ObjectChange[] = [];
  for (const id of ids) {
    const x = a.get(id);
    const y = b.get(id);
    if (x && !y) changes.push({ id, kind: x.kind, change: 'removed', before: maskSecret(x), fields: [] });
    else if (!x && y) changes.push({ id, kind: y.kind, change: 'added', after: maskSecret(y), fields: [] });
    else if (x && y) {
      const fields = x.kind === 'Secret' ? secretFieldChanges(x, y) : fieldChanges(x, y);
      if (fields.length > 0) changes.push({ id, kind: y.kind, change: 'changed', before: maskSecret(x), after: maskSecret(y), fields });
    }
  }
  return changes;
}
