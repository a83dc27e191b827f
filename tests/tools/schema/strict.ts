/**
 * The "-strict" flavour kubeconform expects (as in yannh/kubernetes-json-schema and kubeconform's
 * scripts/openapi2jsonschema.py), applied the same way to built-in kinds and CRDs:
 * - an object schema that lists `properties` and says nothing about others gets
 *   `additionalProperties: false`, so a misspelt or unknown field fails validation, except where
 *   the API server itself keeps unknown fields (`x-kubernetes-preserve-unknown-fields`);
 * - int-or-string (`format: int-or-string` or `x-kubernetes-int-or-string`) becomes
 *   `oneOf: [string, integer]`, as the API server accepts both;
 * - OpenAPI's `nullable: true` becomes a "null" member of `type` (JSON Schema has no nullable).
 */
import { mapSchema, type Schema } from './json-schema.js';

const INT_OR_STRING = [{ type: 'string' }, { type: 'integer' }];

export function strictNode(node: Schema): Schema {
  let out: Schema = node;
  const intOrString = out.format === 'int-or-string' || out['x-kubernetes-int-or-string'] === true;
  if (intOrString && out.anyOf === undefined) {
    const { format: _format, type: _type, oneOf: _oneOf, ...rest } = out;
    out = { ...rest, oneOf: INT_OR_STRING };
  }
  if (out.nullable === true && typeof out.type === 'string') {
    out = { ...out, type: [out.type, 'null'] };
  }
  if (
    out.properties !== undefined &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out = { ...out, additionalProperties: false };
  }
  return out;
}

/** Applies the strict rules to every sub-schema (root included). Pure: returns a new schema. */
export function strictSchema(schema: Schema): Schema {
  return mapSchema(schema, strictNode);
}
