/**
 * Converts the Kubernetes OpenAPI spec (api/openapi-spec/v3/*.json in the k8s.io/kubernetes
 * module, or the v2 swagger.json) into kubeconform's schema layout: one standalone file per kind,
 * `{kind}-{group}-{version}.json` (group = first label of the API group, absent for the core
 * group), the layout of yannh/kubernetes-json-schema's "-standalone-strict" folders.
 *
 * "Standalone": every `$ref` is inlined, so a file needs nothing else. A type that contains itself
 * (JSONSchemaProps inside CustomResourceDefinition) cannot be inlined forever: the repeated
 * occurrence becomes a local `#/definitions/<name>` reference inside the same file.
 */
import { isSchema, mapChildren, type Schema } from './json-schema.js';
import { strictSchema } from './strict.js';

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface OpenApiDocument {
  /** OpenAPI v3 */
  readonly components?: { readonly schemas?: Record<string, Schema> };
  /** Swagger 2.0 */
  readonly definitions?: Record<string, Schema>;
}

/** The file kubeconform looks up for a kind (see schemaPath in kubeconform's pkg/registry). */
export function kubeconformFileName(gvk: GroupVersionKind): string {
  const group = gvk.group === '' ? '' : `-${gvk.group.split('.')[0]}`;
  return `${gvk.kind}${group}-${gvk.version}.json`.toLowerCase();
}

/** Merges the schemas of every document; the same name must mean the same schema everywhere. */
export function collectSchemas(documents: readonly OpenApiDocument[]): Map<string, Schema> {
  const all = new Map<string, Schema>();
  for (const doc of documents) {
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? doc.definitions ?? {})) {
      const seen = all.get(name);
      if (seen !== undefined && JSON.stringify(seen) !== JSON.stringify(schema)) {
        throw new Error(`schema ${name} differs between two OpenAPI documents`);
      }
      all.set(name, schema);
    }
  }
  return all;
}

function refName(ref: string): string {
  const match = /^#\/(?:components\/schemas|definitions)\/(.+)$/.exec(ref);
  if (match === null) throw new Error(`unsupported $ref "${ref}" (only local schema references)`);
  return match[1]!;
}

/** One standalone schema for `name`: references inlined, cycles as local definitions. */
export function standaloneSchema(name: string, schemas: ReadonlyMap<string, Schema>): Schema {
  const needed = new Set<string>();
  const lookup = (target: string, from: readonly string[]): Schema => {
    const schema = schemas.get(target);
    if (schema === undefined) throw new Error(`${from.join(' > ')}: $ref to unknown schema ${target}`);
    return schema;
  };
  const expand = (node: Schema, stack: readonly string[]): Schema => {
    // OpenAPI v3 wraps a reference with siblings (description, default) as allOf: [{$ref}].
    if (Array.isArray(node.allOf) && node.allOf.length === 1 && isSchema(node.allOf[0]) && typeof node.allOf[0].$ref === 'string') {
      const { allOf, ...siblings } = node;
      return expand({ ...(allOf as Schema[])[0], ...siblings }, stack);
    }
    if (typeof node.$ref === 'string') {
      const { $ref, ...siblings } = node;
      const target = refName($ref);
      if (stack.includes(target)) {
        needed.add(target);
        return { ...siblings, $ref: `#/definitions/${target}` };
      }
      return { ...expand(lookup(target, stack), [...stack, target]), ...siblings };
    }
    return mapChildren(node, (child) => expand(child, stack));
  };

  const root = expand(lookup(name, []), [name]);
  const definitions: Record<string, Schema> = {};
  for (const target of needed) {
    // `needed` grows while we expand; a Set iterates over entries added during the loop.
    definitions[target] ??= expand(lookup(target, [name]), [target]);
  }
  return strictSchema(Object.keys(definitions).length > 0 ? { ...root, definitions } : root);
}

export interface ConvertOptions {
  /** Skip `XxxList` kinds: manifests never contain them and they double the size on disk. */
  readonly skipLists?: boolean;
}

/** Every kind of the spec as file name -> standalone strict schema. */
export function convertKubernetesOpenApi(
  documents: readonly OpenApiDocument[],
  options: ConvertOptions = {},
): Map<string, Schema> {
  const schemas = collectSchemas(documents);
  const files = new Map<string, Schema>();
  const owner = new Map<string, string>();
  for (const [name, schema] of [...schemas].sort(([a], [b]) => a.localeCompare(b))) {
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    let standalone: Schema | undefined;
    for (const gvk of gvks as GroupVersionKind[]) {
      if (options.skipLists && gvk.kind.endsWith('List') && isSchema(schema.properties) && 'items' in schema.properties) continue;
      const file = kubeconformFileName(gvk);
      const previous = owner.get(file);
      if (previous !== undefined && previous !== name) {
        throw new Error(`${file}: both ${previous} and ${name} claim ${gvk.group}/${gvk.version} ${gvk.kind}`);
      }
      owner.set(file, name);
      standalone ??= standaloneSchema(name, schemas);
      files.set(file, standalone);
    }
  }
  return files;
}
