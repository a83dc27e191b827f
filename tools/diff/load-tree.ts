/**
 * Reads every Kubernetes object under an environments/ folder, grouped by environment, and the
 * Ansible inventory synth generated beside it (ansible/inventories/<env>/hosts.yml), which holds
 * what the manifests cannot say about the database VMs (max_connections, certificate names).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { Obj } from './semantic-diff.js';

/** One environment as the diff sees it. */
export interface EnvironmentTree {
  readonly objects: readonly Obj[];
  /** The parsed inventory, when the tree has one. */
  readonly inventory?: Obj;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(e.name) && e.name !== 'kustomization.yaml' ? [path] : [];
  });
}

/** The inventory path of `env` for a tree whose manifests are in `environmentsDir`. */
export function inventoryPath(environmentsDir: string, env: string): string {
  return join(environmentsDir, '..', 'ansible', 'inventories', env, 'hosts.yml');
}

export function loadEnvironmentTree(environmentsDir: string): Map<string, EnvironmentTree> {
  const result = new Map<string, EnvironmentTree>();
  if (!existsSync(environmentsDir)) return result;
  for (const env of readdirSync(environmentsDir, { withFileTypes: true })) {
    if (!env.isDirectory()) continue;
    const objects = yamlFiles(join(environmentsDir, env.name)).flatMap((file) =>
      parseAllDocuments(readFileSync(file, 'utf8'))
        .map((d) => d.toJS() as Obj)
        .filter((o) => o && typeof o === 'object' && typeof o.kind === 'string'),
    );
    const inventory = inventoryPath(environmentsDir, env.name);
    result.set(env.name, { objects, ...(existsSync(inventory) ? { inventory: parse(readFileSync(inventory, 'utf8')) as Obj } : {}) });
  }
  return result;
}
