import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadEnvironments } from '../../apps/load.js';
import { escapeHelmTemplate } from '../../apps/synth/helm.js';
import { renderEnvironment } from '../../apps/synth/render.js';
import { writeFiles } from '../../apps/lib/write-files.js';
import { writeRendered } from '../../apps/synth/write.js';

const environments = await loadEnvironments();

describe('renderEnvironment', () => {
  it('is deterministic', () => {
    for (const env of environments) {
      const a = renderEnvironment(env).files;
      const b = renderEnvironment(env).files;
      expect([...a.entries()]).toEqual([...b.entries()]);
    }
  });

  it('names objects without hash suffixes and puts namespaced objects in the env namespace', () => {
    for (const env of environments) {
      for (const [path, content] of renderEnvironment(env).files) {
        if (!path.startsWith(`environments/${env.name}/apps/`) || path.endsWith('kustomization.yaml')) continue;
        for (const doc of parseAllDocuments(content)) {
          const o = doc.toJS() as { kind: string; metadata: { name: string; namespace?: string } };
          expect(o.metadata.name, `${path} ${o.kind}`).not.toMatch(/-c8[0-9a-f]{6}$/);
          if (o.kind !== 'Namespace' && !o.kind.startsWith('Cluster')) {
            expect(o.metadata.namespace, `${path} ${o.kind}/${o.metadata.name}`).toBeDefined();
          }
        }
      }
    }
  });

  it('lists every manifest file of each layer folder in its kustomization', () => {
    for (const env of environments) {
      const files = renderEnvironment(env).files;
      const root = `environments/${env.name}/`;
      const folders = [...files.keys()].filter((p) => p.startsWith(root) && p.endsWith('/kustomization.yaml') && p !== `${root}kustomization.yaml`)
        .map((p) => p.slice(0, -'kustomization.yaml'.length));
      expect(folders.length).toBeGreaterThanOrEqual(5);
      for (const dir of folders) {
        const kustomization = parseAllDocuments(files.get(`${dir}kustomization.yaml`)!)[0].toJS() as { resources: string[] };
        const manifests = [...files.keys()]
          .filter((p) => p.startsWith(dir) && !p.slice(dir.length).includes('/') && !p.endsWith('kustomization.yaml'))
          .map((p) => p.slice(dir.length));
        expect(kustomization.resources.filter((r) => !r.startsWith('..')).sort(), dir).toEqual(manifests.sort());
      }
    }
  });

  it('renders Helm templates with the same documents as the app layers, braces escaped', () => {
    for (const env of environments) {
      const files = renderEnvironment(env).files;
      const appFiles = [...files.entries()].filter(([p]) => p.startsWith(`environments/${env.name}/apps/`) && !p.endsWith('kustomization.yaml'));
      expect(appFiles.length).toBeGreaterThan(5);
      for (const [path, content] of appFiles) {
        const name = path.split('/').pop();
        expect(files.get(`dist/helm/${env.name}/templates/${name}`), path).toBe(escapeHelmTemplate(content));
      }
      const templates = [...files.keys()].filter((p) => p.startsWith(`dist/helm/${env.name}/templates/`));
      expect(templates.length).toBe(appFiles.length);
    }
  });
});

describe('escapeHelmTemplate', () => {
  it('turns template braces into literal strings', () => {
    expect(escapeHelmTemplate('a {{ $labels.pod }} b')).toBe('a {{ "{{" }} $labels.pod {{ "}}" }} b');
    expect(escapeHelmTemplate('no braces')).toBe('no braces');
  });
});

describe('writeRendered', () => {
  it('replaces owned folders whole and writes loose files only when changed', () => {
    const out = mkdtempSync(join(tmpdir(), 'synth-'));
    mkdirSync(join(out, 'environments/x/apps'), { recursive: true });
    writeFileSync(join(out, 'environments/x/apps/stale.yaml'), 'old');
    writeFileSync(join(out, 'keep.txt'), 'same');
    const rendered = [{
      name: 'x',
      files: new Map([['environments/x/apps/a.yaml', 'a: 1\n'], ['keep.txt', 'same'], ['gen/new.json', '{}']]),
      ownedDirs: ['environments/x/apps'],
    }];
    expect(writeRendered(out, rendered)).toEqual({ written: 2, unchanged: 1 });
    expect(readdirSync(join(out, 'environments/x/apps'))).toEqual(['a.yaml']);
    expect(readFileSync(join(out, 'gen/new.json'), 'utf8')).toBe('{}');
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('writeFiles, the one writer', () => {
  it('writes nothing when one file cannot be written, and leaves the folder as it was', () => {
    const out = mkdtempSync(join(tmpdir(), 'write-'));
    writeFileSync(join(out, 'a.txt'), 'old');
    mkdirSync(join(out, '.tmp/keep'), { recursive: true });
    // 'blocked' is a file, so 'blocked/b.txt' cannot be staged.
    writeFileSync(join(out, 'blocked'), '');
    expect(() => writeFiles(out, new Map([['a.txt', 'new'], ['blocked/b.txt', 'x']]))).toThrow();
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('old');
    // Only its own staging folder goes: a user's .tmp beside the target stays.
    expect(readdirSync(out).sort()).toEqual(['.tmp', 'a.txt', 'blocked']);
  });
});

describe('the bootstrap path', () => {
  it('lists flux-system/ only once `flux bootstrap` has committed it, so the tree builds as committed before and Flux manages itself after', async () => {
    for (const env of await loadEnvironments()) {
      const resources = (bootstrapped: boolean) =>
        parseAllDocuments(renderEnvironment(env, { bootstrapped }).files.get(`environments/${env.name}/kustomization.yaml`)!)[0]!.toJS().resources;
      expect(resources(false)).toEqual(['layers.yaml']);
      expect(resources(true)).toEqual(['flux-system', 'layers.yaml']);
    }
  });
});
