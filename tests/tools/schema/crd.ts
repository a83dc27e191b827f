/**
 * CustomResourceDefinitions -> kubeconform schemas, the equivalent of kubeconform's own
 * scripts/openapi2jsonschema.py (which needs PyYAML) with two deliberate differences:
 * the root object is strict too (the script's DENY_ROOT_ADDITIONAL_PROPERTIES), and objects marked
 * `x-kubernetes-preserve-unknown-fields` stay open, as the API server keeps their unknown fields.
 * One file per served version (`served: false` gets none, so using it fails):
 * `{group}/{kind}_{version}.json`, kubeconform template
 * `{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`.
 */
import { isSchema, type Schema } from './json-schema.js';
import { strictSchema } from './strict.js';

export interface CrdDocument {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown };
  readonly spec?: {
    readonly group?: unknown;
    readonly names?: { readonly kind?: unknown };
    readonly versions?: ReadonlyArray<{
      readonly name?: unknown;
      readonly served?: unknown;
      readonly schema?: { readonly openAPIV3Schema?: unknown };
    }>;
  };
}

export function isCrd(doc: unknown): doc is CrdDocument {
  return isSchema(doc) && doc.kind === 'CustomResourceDefinition' && typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith('apiextensions.k8s.io/');
}

/** file name -> schema for every version of one CRD; `source` names the file in errors. */
export function crdSchemas(crd: CrdDocument, source: string): Map<string, Schema> {
  const name = String(crd.metadata?.name ?? '?');
  const group = crd.spec?.group;
  const kind = crd.spec?.names?.kind;
  if (typeof group !== 'string' || typeof kind !== 'string') {
    throw new Error(`${source}: CRD ${name}: spec.group and spec.names.kind must be strings`);
  }
  const files = new Map<string, Schema>();
  for (const [i, version] of (crd.spec?.versions ?? []).entries()) {
    // A version the API server does not serve cannot be applied: no schema, so it fails.
    if (version.served === false) continue;
    const schema = version.schema?.openAPIV3Schema;
    if (typeof version.name !== 'string' || !isSchema(schema)) {
      throw new Error(`${source}: CRD ${name}: spec.versions[${i}] has no name or no schema.openAPIV3Schema`);
    }
    files.set(`${group}/${kind.toLowerCase()}_${version.name}.json`, strictSchema(schema));
  }
  if (files.size === 0) throw new Error(`${source}: CRD ${name}: no versions with a schema`);
  return files;
}
