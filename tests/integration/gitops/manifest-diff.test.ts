// `npm run diff` end to end, on a throwaway repository holding a copy of this working tree
// (committed or not): change the production config, then diff against the commit.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentFiles, REPO_ROOT } from '../../../apps/config/index.js';

const clone = join(mkdtempSync(join(tmpdir(), 'diff-test-')), 'repo');
const git = (...args: string[]) => execFileSync('git', args, { cwd: clone, encoding: 'utf8' });
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\0').filter(Boolean);
for (const file of tracked) {
  try {
    cpSync(join(REPO_ROOT, file), join(clone, file));
  } catch {
    // Deleted in the working tree but still in the index: not part of the copy.
  }
}
symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'));
git('init', '--quiet');
git('add', '-A');
git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '--quiet', '-m', 'base');

function diff(base: string, format = 'text') {
  const r = spawnSync('npx', ['tsx', 'tools/diff/cli.ts', '--base', base, '--format', format], { cwd: clone, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run diff', () => {
  it('reports no changes for an unchanged tree (exit 0)', () => {
    const r = diff('HEAD');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('flags production capacity lowered and shows the image change (exit 2)', () => {
    const production = join(clone, 'apps/environments/production.ts');
    writeFileSync(production, readFileSync(production, 'utf8').replace(
      "name: 'production',",
      "name: 'production',\n  web: { replicas: { min: 2, max: 20 } },\n  images: { phpFpm: 'ghcr.io/fmtod/marketplace-php:2026.12.0' },",
    ));
    const r = diff('HEAD');
    expect(r.code, r.err).toBe(2);
    expect(r.out).toMatch(/^DANGER production keda\.sh\/ScaledObject\/marketplace\/web: production capacity lowered: spec\.minReplicaCount lowered 3 -> 2/m);
    expect(r.out).toMatch(/^IMAGE  production: apps\/Deployment\/marketplace\/web .*containers\[php-fpm\]\.image: ghcr\.io\/fmtod\/marketplace-php:2026\.11\.3 -> ghcr\.io\/fmtod\/marketplace-php:2026\.12\.0/m);
    const md = diff('HEAD', 'markdown');
    expect(md.out).toContain(':warning:');
    expect(md.out).toContain('| staging | 0 added, 0 changed, 0 removed |');
  });

  it('flags the queues a deleted worker group leaves without a consumer, above the object diff (exit 2)', () => {
    const base = join(clone, 'apps/environments/base.ts');
    const text = readFileSync(base, 'utf8');
    // The whole `sync` group entry, as the config file spells it.
    const group = /\n    \{\n      \/\/ Marketplace API syncs[\s\S]*?\n    \},(?=\n  \],)/.exec(text);
    expect(group, 'the sync worker group in base.ts').not.toBeNull();
    writeFileSync(base, text.replace(group![0], ''));
    // The PR removes the environments' patches of the group too (staging's scale-to-zero): a
    // patch of a group base.ts no longer has is refused by synth.
    const patched = environmentFiles(join(clone, 'apps/environments')).map((f) => [f, readFileSync(f, 'utf8')] as const);
    for (const [f, original] of patched) writeFileSync(f, original.replace(/\{ name: 'sync'(?:[^{}]|\{[^{}]*\})*\},? ?/g, ''));
    const r = diff('HEAD');
    for (const [f, original] of patched) writeFileSync(f, original);
    expect(r.code, r.err).toBe(2);
    // Every environment loses the group.
    for (const env of environmentFiles().map((f) => basename(f, '.ts'))) {
      for (const queue of ['marketplace-sync', 'low']) {
        expect(r.out).toMatch(new RegExp(`^DANGER ${env} apps/Deployment/marketplace/worker-sync: queue "${queue}" was consumed by worker-sync and no worker consumes it after this change.*Instead: keep "${queue}"`, 'm'));
      }
    }
    expect(r.out.indexOf('no worker consumes it')).toBeLessThan(r.out.indexOf('== production'));
    writeFileSync(base, text);
  });

  it('fails clearly on an unknown ref (exit 3)', () => {
    const r = diff('no-such-ref');
    expect(r.code).toBe(3);
    expect(r.err).toContain('diff:');
  });
});
