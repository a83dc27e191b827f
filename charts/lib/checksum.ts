import { createHash } from 'node:crypto';

/**
 * A short content hash for a pod template annotation: pods roll when (and only when) the
 * configuration they read changes. Deterministic, so synth stays byte-identical.
 */
export function checksum(data: unknown): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);
}
