/**
 * CLI: kubeconform schemas for the built-in kinds of one Kubernetes release.
 *   tsx tests/tools/generate-kubernetes-schemas.ts <openapi-spec/v3 dir> <output dir>
 * The input is the OpenAPI v3 folder of the k8s.io/kubernetes module (see
 * .ci/install.d/20-k8s-schemas.sh); v3 rather than swagger.json because only v3 types Quantity as
 * string-or-number, as the API server accepts it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertKubernetesOpenApi, type OpenApiDocument } from './schema/kubernetes-openapi.js';
import { writeSchemaDir } from './write-schema-dir.js';

function main(args: string[]): void {
  const [specDir, outDir] = args;
  if (specDir === undefined || outDir === undefined) {
    throw new Error('usage: generate-kubernetes-schemas.ts <openapi-spec/v3 dir> <output dir>');
  }
  const files = readdirSync(specDir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`${specDir}: no OpenAPI *.json files`);
  const documents = files.map((f) => {
    const path = join(specDir, f);
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument;
    } catch (error) {
      throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
    }
  });
  const schemas = convertKubernetesOpenApi(documents, { skipLists: true });
  writeSchemaDir(outDir, schemas);
  console.log(`${schemas.size} kind schemas written to ${outDir}`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(`generate-kubernetes-schemas: ${(error as Error).message}`);
  process.exit(1);
}
