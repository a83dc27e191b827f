/**
 * `npx cdk8s synth` is `npm run synth`: cdk8s.yaml's app is the npm script, and the CLI's flat
 * <env>.k8s.yaml files hold exactly the objects synth renders for each environment. Runs the real
 * CLI (offline: --no-check-upgrade), with --out so the repository is not rewritten.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { renderedObjects } from '../../apps/synth/objects.js';
import { renderEnvironment } from '../../apps/synth/render.js';

const config = parse(readFileSync(join(REPO_ROOT, 'cdk8s.yaml'), 'utf8')) as { app: string; output: string };
const work = mkdtempSync(join(tmpdir(), 'cdk8s-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('cdk8s.yaml', () => {
  it('runs npm run synth as its app', () => {
    expect(config.app).toBe('npm run --silent synth');
  });

  it('cdk8s synth writes <env>.k8s.yaml with the objects synth renders', async () => {
    const outdir = join(work, 'cdk8s');
    const run = spawnSync('npx', ['cdk8s', 'synth', '--no-check-upgrade', '-a', `${config.app} -- --out ${join(work, 'repo')}`, '-o', outdir], {
      cwd: REPO_ROOT, encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    for (const env of await loadEnvironments()) {
      const listed = parseAllDocuments(readFileSync(join(outdir, `${env.name}.k8s.yaml`), 'utf8')).map((d) => d.toJS());
      const rendered = renderedObjects(renderEnvironment(env)).filter((o) => !o.file.includes('/secrets/')).map((o) => o.object);
      const canonical = (objects: unknown[]) => objects.map((o) => JSON.stringify(o)).sort();
      expect(listed.length).toBeGreaterThan(0);
      expect(canonical(listed)).toEqual(canonical(rendered));
    }
  }, 60_000);
});
