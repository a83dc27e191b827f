/**
 * CLI: kubeconform schemas and a kubectl-validate CRD folder from upstream CRD YAML files.
 *   tsx tests/tools/generate-crd-schemas.ts <output dir> <file or dir>...
 * Writes <output>/jsonschema/{group}/{kind}_{version}.json and <output>/crds/<crd name>.yaml
 * (one CRD per file, nothing else: kubectl-validate --local-crds reads every file there).
 * Sources are read in order; a CRD already defined by an earlier source is skipped, so listing the
 * Gateway API standard channel before the experimental one keeps the standard schemas and adds
 * only the kinds that exist solely in experimental. Non-CRD documents (e.g. a
 * ValidatingAdmissionPolicy shipped beside the CRDs) are ignored.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { crdSchemas, isCrd } from './schema/crd.js';
import type { Schema } from './schema/json-schema.js';
import { writeSchemaDir } from './write-schema-dir.js';

function yamlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
    .sort()
    .map((f) => join(path, f));
}

function main(args: string[]): void {
  const [outDir, ...sources] = args;
  if (outDir === undefined || sources.length === 0) {
    throw new Error('usage: generate-crd-schemas.ts <output dir> <file or dir>...');
  }
  const files = new Map<string, Schema | string>();
  const origin = new Map<string, string>();
  for (const file of sources.flatMap(yamlFiles)) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const value: unknown = doc.toJS();
      if (!isCrd(value)) continue;
      const name = String(value.metadata?.name);
      if (origin.has(name)) continue;
      origin.set(name, file);
      for (const [path, schema] of crdSchemas(value, file)) files.set(`jsonschema/${path}`, schema);
      files.set(`crds/${name}.yaml`, `# source: ${file}\n${doc.toString({ lineWidth: 0 })}`);
    }
  }
  if (origin.size === 0) throw new Error(`no CustomResourceDefinition found in ${sources.join(' ')}`);
  writeSchemaDir(outDir, files);
  console.log(`${origin.size} CRDs (${files.size - origin.size} version schemas) written to ${outDir}`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(`generate-crd-schemas: ${(error as Error).message}`);
  process.exit(1);
}
