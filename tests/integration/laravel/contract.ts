/**
 * docs/app-contract.md, read as data: its two marked tables are the contract the tests apply and
 * check, so a line missing from the doc is a line the app does not get.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../apps/config/index.js';

export const CONTRACT_DOC = 'docs/app-contract.md';

export interface ContractVariable {
  readonly name: string;
  /** `ConfigMap <name>`, `Secret <name>` or `container env (...)`; several joined by `; `. */
  readonly from: string;
  /** The config key it lands in, or undefined when something else reads it (a dash row). */
  readonly configKey?: string;
}

export interface ContractLine {
  /** File under config/, e.g. database.php. */
  readonly file: string;
  /** Dotted path inside the file's array. */
  readonly key: string;
  /** The PHP expression. */
  readonly value: string;
}

function table(doc: string, marker: string): string[][] {
  const begin = doc.indexOf(`<!-- contract:${marker}:begin -->`);
  const end = doc.indexOf(`<!-- contract:${marker}:end -->`);
  if (begin < 0 || end < begin) throw new Error(`${CONTRACT_DOC}: no contract:${marker} table`);
  const rows = doc.slice(begin, end).split('\n').filter((l) => l.startsWith('|')).slice(2);
  // Cells are split on " | " so a PHP expression may hold a "|" without spaces (none does today).
  return rows.map((row) => row.replace(/^\|\s*/, '').replace(/\s*\|$/, '').split(/\s+\|\s+/).map((c) => c.trim()));
}

const code = (cell: string, where: string): string => {
  const m = /^`(.*)`$/.exec(cell);
  if (!m) throw new Error(`${CONTRACT_DOC}: ${where}: expected \`code\`, got ${cell}`);
  return m[1]!;
};

export function readContract(doc = readFileSync(join(REPO_ROOT, CONTRACT_DOC), 'utf8')): {
  variables: ContractVariable[];
  lines: ContractLine[];
} {
  const variables = table(doc, 'env').map((cells, i) => {
    if (cells.length !== 3) throw new Error(`${CONTRACT_DOC}: env row ${i + 1}: 3 cells expected, got ${cells.length}`);
    const [name, from, key] = cells as [string, string, string];
    return { name: code(name, `env row ${i + 1}`), from, ...(key.startsWith('`') ? { configKey: code(key, `env row ${i + 1}`) } : {}) };
  });
  const lines = table(doc, 'config').map((cells, i) => {
    if (cells.length !== 3) throw new Error(`${CONTRACT_DOC}: config row ${i + 1}: 3 cells expected, got ${cells.length}`);
    const [file, key, value] = cells.map((c) => code(c, `config row ${i + 1}`)) as [string, string, string];
    return { file, key, value };
  });
  return { variables, lines };
}
