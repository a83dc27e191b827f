/** Deterministic multi-document YAML for generated manifests. */
import { stringify } from 'yaml';

export function toYamlDocuments(objects: readonly unknown[], header?: string): string {
  const body = objects.map((o) => stringify(o, { lineWidth: 0, sortMapEntries: false })).join('---\n');
  return header ? `${header}${body}` : body;
}
