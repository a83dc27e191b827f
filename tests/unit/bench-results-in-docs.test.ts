/**
 * A benchmark figure quoted in docs is the script's output: every `<!-- bench:NAME -->` block of
 * docs/ equals tests/bench/results/NAME.md, which the benchmark (tests/bench/results-file.ts)
 * writes. A hand-edited figure, or a block whose results file is missing, fails here.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../apps/config/index.js';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? markdownFiles(p) : f.endsWith('.md') ? [p] : [];
  });
}

const blocks = markdownFiles(join(REPO_ROOT, 'docs')).flatMap((doc) =>
  [...readFileSync(doc, 'utf8').matchAll(/<!-- bench:([\w-]+) -->\n([\s\S]*?)\n<!-- \/bench:\1 -->/g)].map((m) => ({ doc: doc.slice(REPO_ROOT.length + 1), name: m[1]!, body: m[2]! })));

describe('benchmark figures in docs are generated', () => {
  it('docs have bench blocks', () => expect(blocks.length).toBeGreaterThan(0));
  it.each(blocks.map((b) => [`${b.doc} bench:${b.name}`, b]))('%s equals its results file', (_, b) => {
    const file = join(REPO_ROOT, 'tests', 'bench', 'results', `${b.name}.md`);
    expect(existsSync(file), `${b.doc}: bench:${b.name} has no tests/bench/results/${b.name}.md (run its benchmark)`).toBe(true);
    const generated = readFileSync(file, 'utf8').replace(/^<!-- generated[^\n]*\n/, '').trimEnd();
    expect(b.body.trimEnd(), `${b.doc}: bench:${b.name} differs from tests/bench/results/${b.name}.md`).toBe(generated);
  });
});
