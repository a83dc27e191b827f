/**
 * CLI: exits 0 when two manifest trees hold exactly the same objects (same apiVersion, kind,
 * namespace, name and equal content), 1 with the differences otherwise, 2 on unreadable input.
 *   tsx tests/tools/compare-manifests.ts <dir or file> <dir or file>
 * A directory is read recursively (*.yaml, *.yml) except kustomization.yaml (kustomize's build
 * configuration for Flux, not an object); used to check that `helm template` of dist/helm/<env>
 * renders exactly environments/<env>.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compareManifestSets, formatComparison, isEqual } from './manifests/compare.js';
import { parseManifests } from './manifests/manifest-set.js';

function yamlFilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f) && !/(^|\/)kustomization\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile());
}

function load(path: string) {
  const files = yamlFilesUnder(path).map((file) => ({ text: readFileSync(file, 'utf8'), file: relative(process.cwd(), file) }));
  if (files.length === 0) throw new Error(`${path}: no YAML files`);
  const set = parseManifests(files);
  if (set.size === 0) throw new Error(`${path}: no Kubernetes objects`);
  return set;
}

const [left, right] = process.argv.slice(2);
if (left === undefined || right === undefined) {
  console.error('usage: compare-manifests.ts <dir or file> <dir or file>');
  process.exit(2);
}
let code: number;
try {
  const a = load(left);
  const b = load(right);
  const comparison = compareManifestSets(a, b);
  if (isEqual(comparison)) {
    console.log(`${a.size} objects, identical in ${left} and ${right}`);
    code = 0;
  } else {
    console.error(formatComparison(comparison, left, right));
    code = 1;
  }
} catch (error) {
  console.error(`compare-manifests: ${(error as Error).message}`);
  code = 2;
}
process.exit(code);
