/**
 * The layers import one way: the environment config (apps/config) is the bottom and imports no
 * other folder of the repo; the charts import the config and the generated types (imports/), never
 * the synth, the tools or the tests; the policies read objects only. An arrow pointing back (the
 * config importing a chart helper for a rule) is what made rules depend on import order before.
 * Every relative import of every .ts file in those folders is resolved, not sampled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Every repo path a file imports (static, dynamic and type-only), relative to the repo root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

/** The folders `from` may import, besides itself; anything else under the repo is a violation. */
const ALLOWED: Record<string, readonly string[]> = {
  'apps/config': [],
  'apps/environments': ['apps/config'],
  charts: ['apps/config', 'imports', 'package.json'],
  policies: [],
};

describe('import layers', () => {
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`${layer} imports only ${allowed.length ? allowed.join(', ') : 'itself'}`, () => {
      const files = tsFiles(layer);
      expect(files.length).toBeGreaterThan(0);
      const violations = files.flatMap((file) =>
        importsOf(file)
          .filter((target) => !target.startsWith(`${layer}/`))
          .filter((target) => !allowed.some((a) => target === a || target.startsWith(`${a}/`)))
          .map((target) => `${file} imports ${target}`),
      );
      expect(violations).toEqual([]);
    });
  }

  it('the resolver sees imports (a file that imports the config is found)', () => {
    expect(importsOf('apps/environments/base.ts').some((t) => t.startsWith('apps/config/'))).toBe(true);
  });
});
