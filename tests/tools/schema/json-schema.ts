/**
 * The small slice of JSON Schema (draft 4, which kubeconform compiles with) the converters touch.
 * Everything else passes through untouched.
 */
export type Schema = { [key: string]: unknown };

/** Keywords whose value is a map of name -> schema. */
export const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions'] as const;
/** Keywords whose value is a schema (or a boolean) or an array of schemas. */
export const SCHEMA_KEYWORDS = ['additionalProperties', 'items', 'additionalItems', 'not'] as const;
export const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;

export function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Applies `fn` to each direct sub-schema of `schema` (only schema positions; values such as
 * `default`, `enum` or `example`, which may hold a key named "properties", are left alone). */
export function mapChildren(schema: Schema, fn: (child: Schema) => Schema): Schema {
  const out: Schema = {};
  const each = (sub: unknown): unknown => (isSchema(sub) ? fn(sub) : sub);
  for (const [key, value] of Object.entries(schema)) {
    if ((SCHEMA_MAP_KEYWORDS as readonly string[]).includes(key) && isSchema(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, each(sub)]));
    } else if ((SCHEMA_KEYWORDS as readonly string[]).includes(key)) {
      out[key] = Array.isArray(value) ? value.map(each) : each(value);
    } else if ((SCHEMA_ARRAY_KEYWORDS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map(each);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Rebuilds a schema bottom-up: `visit` sees each sub-schema after its children were rebuilt. */
export function mapSchema(schema: Schema, visit: (node: Schema) => Schema): Schema {
  return visit(mapChildren(schema, (child) => mapSchema(child, visit)));
}
