/** Reads every Kubernetes object under an environments/ folder, grouped by environment. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Obj } from './semantic-diff.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(e.name) && e.name !== 'kustomization.yaml' ? [path] : [];
  });
}

export function loadEnvironmentTree(environmentsDir: string): Map<string, Obj[]> {
  const result = new Map<string, Obj[]>();
  if (!existsSync(environmentsDir)) return result;
  for (const env of readdirSync(environmentsDir, { withFileTypes: true })) {
    if (!env.isDirectory()) continue;
    const objects = yamlFiles(join(environmentsDir, env.name)).flatMap((file) =>
      parseAllDocuments(readFileSync(file, 'utf8'))
        .map((d) => d.toJS() as Obj)
        .filter((o) => o && typeof o === 'object' && typeof o.kind === 'string'),
    );
    result.set(env.name, objects);
  }
  return result;
}
