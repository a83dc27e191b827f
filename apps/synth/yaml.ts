/**
 * Deterministic multi-document YAML for generated manifests. Written as YAML 1.1, the dialect
 * Kubernetes, Flux and kubeconform parse: strings such as `Off`, `on`, `yes` get quoted, which
 * YAML 1.2 leaves bare and a 1.1 parser then reads as booleans (VPA `updateMode: Off`).
 */
import { stringify } from 'yaml';

export function toYamlDocuments(objects: readonly unknown[], header?: string): string {
  const body = objects.map((o) => stringify(o, { lineWidth: 0, sortMapEntries: false, version: '1.1' })).join('---\n');
  return header ? `${header}${body}` : body;
}
