/**
 * Kubernetes manifests as a set of objects keyed by identity (apiVersion, kind, namespace, name),
 * parsed from multi-document YAML. Comments, document order, key order and quoting style do not
 * matter: two sets are equal when they hold the same objects with equal content.
 */
import { parseAllDocuments } from 'yaml';

export type KubeObject = { [key: string]: unknown };

export interface ManifestEntry {
  readonly object: KubeObject;
  /** File (and document number) it came from, for messages. */
  readonly source: string;
}

export function objectKey(object: KubeObject): string {
  const metadata = (object.metadata ?? {}) as { namespace?: unknown; name?: unknown };
  return `${String(object.apiVersion)} ${String(object.kind)} ${String(metadata.namespace ?? '-')}/${String(metadata.name)}`;
}

/** Parses one YAML stream into `into`; throws naming the file on bad YAML or duplicate objects. */
export function addManifests(into: Map<string, ManifestEntry>, text: string, file: string): void {
  parseAllDocuments(text).forEach((doc, index) => {
    const source = `${file} (document ${index + 1})`;
    if (doc.errors.length > 0) throw new Error(`${source}: invalid YAML: ${doc.errors[0]!.message}`);
    const object: unknown = doc.toJS();
    if (object === null || object === undefined) return; // empty document between ---
    if (typeof object !== 'object' || Array.isArray(object)) throw new Error(`${source}: not a Kubernetes object`);
    const kube = object as KubeObject;
    if (typeof kube.apiVersion !== 'string' || typeof kube.kind !== 'string') {
      throw new Error(`${source}: apiVersion and kind must be strings`);
    }
    const key = objectKey(kube);
    const previous = into.get(key);
    if (previous !== undefined) throw new Error(`${source}: ${key} is already defined in ${previous.source}`);
    into.set(key, { object: kube, source });
  });
}

export function parseManifests(files: ReadonlyArray<{ readonly text: string; readonly file: string }>): Map<string, ManifestEntry> {
  const set = new Map<string, ManifestEntry>();
  for (const { text, file } of files) addManifests(set, text, file);
  return set;
}
