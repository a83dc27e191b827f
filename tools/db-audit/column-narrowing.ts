/**
 * Decides whether a column may get a smaller type, from evidence in its data. A column is only
 * narrowed when its values are a closed set of codes (few distinct values, each repeated, all
 * matching a code pattern) or a 0/1 flag: free text (messages, payloads, slugs, titles) is never
 * narrowed to its current longest value, because the next longer value would be rejected.
 */
import { INTEGER_TYPES } from './data-profile.js';
import type { ColumnInfo, ColumnProfile } from './types.js';

/** Codes are a closed set: at most this many distinct values... */
export const CODE_MAX_DISTINCT = 100;
/** ...each seen at least this many times on average (a slug or an id is seen once). */
export const CODE_MIN_REPEATS = 10;
/** A narrowed VARCHAR keeps at least this factor over the longest code. */
export const CODE_LENGTH_HEADROOM = 2;
/** Fixed-length codes up to this length (country, currency, language) become CHAR(n). */
const FIXED_CODE_MAX_LENGTH = 3;
const VARCHAR_CHOICES = [16, 32, 64, 128, 255];

export interface Narrowing {
  readonly type: string;
  readonly evidence: string;
}

/** Why a string column holds codes, or null when the data does not show it. */
export function codeEvidence(profile: ColumnProfile): string | null {
  const values = profile.rowsProfiled - profile.nullCount;
  if (values <= 0 || profile.distinctCount === null || profile.codeLikeCount === null || profile.maxLength === null) return null;
  if (profile.codeLikeCount !== values) return null;
  if (profile.distinctCount > CODE_MAX_DISTINCT || profile.distinctCount * CODE_MIN_REPEATS > values) return null;
  return `${profile.distinctCount} distinct code-like values (no spaces) over ${values} rows`;
}

/** The smaller string type for a code column, or null (not codes, or no real gain). */
export function narrowString(column: ColumnInfo, profile: ColumnProfile): Narrowing | null {
  const evidence = codeEvidence(profile);
  if (!evidence) return null;
  const declared = column.maxChars ?? 0;
  const longest = profile.maxLength!;
  const fixed = profile.minLength === longest && longest <= FIXED_CODE_MAX_LENGTH;
  const length = fixed ? longest : VARCHAR_CHOICES.find((c) => c >= longest * CODE_LENGTH_HEADROOM);
  if (length === undefined || length * 4 > declared) return null;
  const type = fixed ? `char(${length})` : `varchar(${length})`;
  return { type, evidence: fixed ? `${evidence}, all exactly ${longest} characters` : `${evidence}, at most ${longest} characters; ${type} keeps ${CODE_LENGTH_HEADROOM}x headroom` };
}

/** TINYINT(1) for an integer column that only holds 0 and 1, or null. */
export function narrowFlag(column: ColumnInfo, profile: ColumnProfile): Narrowing | null {
  if (!INTEGER_TYPES.has(column.dataType) || column.dataType === 'tinyint') return null;
  if (profile.minValue === null || profile.maxValue === null || profile.minValue < 0 || profile.maxValue > 1) return null;
  return { type: 'tinyint(1)', evidence: `holds only 0 and 1 in ${profile.rowsProfiled - profile.nullCount} rows: a flag (BOOLEAN is TINYINT(1))` };
}
