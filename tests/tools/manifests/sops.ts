/**
 * SOPS-encrypted manifests carry a top-level `sops` block (keys, MAC) that Flux's
 * kustomize-controller removes when it decrypts before applying. Validators see it as an unknown
 * field, so the copy they check drops it; the encrypted values (`ENC[...]` strings) stay, since
 * their schema is "string" either way. Nothing is decrypted.
 */
import { parseAllDocuments } from 'yaml';

/** The YAML without top-level `sops` blocks, or null when no document has one (copy as is). */
export function withoutSopsMetadata(text: string, file: string): string | null {
  const docs = parseAllDocuments(text);
  let changed = false;
  for (const [index, doc] of docs.entries()) {
    if (doc.errors.length > 0) throw new Error(`${file} (document ${index + 1}): invalid YAML: ${doc.errors[0]!.message}`);
    if (doc.has('sops')) {
      doc.delete('sops');
      changed = true;
    }
  }
  return changed ? docs.map((d) => d.toString()).join('') : null;
}
