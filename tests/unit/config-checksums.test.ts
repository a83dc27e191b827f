/**
 * Config changes roll pods: every pod template of every environment carries a checksum
 * annotation for each ConfigMap and Secret it reads (found here by a deep walk of the pod spec,
 * independent of the code under test), equal to the hash of that object's content; and a real
 * change, synthesized in memory, changes the annotation on every consumer of what changed.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type EnvironmentConfig, type LoadedEnvironment } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { committedSecretData } from '../../apps/synth/committed-secrets.js';
import { renderEnvironment, type RenderOptions } from '../../apps/synth/render.js';
import { checksum } from '../../charts/lib/checksum.js';
import { podTemplates, ref, type K8sObject } from '../../policies/manifest.js';
import { renderedEnvironments } from './support/rendered-objects.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered JSON */

/** Every ConfigMap/Secret name a pod spec refers to, wherever it is nested. */
function referenced(spec: any): Set<string> {
  const out = new Set<string>();
  const walk = (node: any, key?: string) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n));
    if (node === null || typeof node !== 'object') return;
    if (key === 'configMapRef' || key === 'configMapKeyRef' || key === 'configMap') out.add(`configmap-${node.name}`);
    if (key === 'secretRef' || key === 'secretKeyRef') out.add(`secret-${node.name}`);
    if (key === 'secret') out.add(`secret-${node.secretName ?? node.name}`);
    for (const [k, v] of Object.entries(node)) walk(v, k);
  };
  walk(spec);
  return out;
}

function contentHash(objects: readonly K8sObject[], env: string, consumed: string): string {
  const [kind, ...rest] = consumed.split('-');
  const name = rest.join('-');
  if (kind === 'configmap') {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name) as any;
    return checksum({ data: cm.data ?? {}, binaryData: cm.binaryData ?? {} });
  }
  const data = committedSecretData(env)(name);
  if (!data) throw new Error(`no committed Secret ${name} for ${env}`);
  return checksum(data);
}

const environments = await renderedEnvironments();

describe.each(environments)('environment $name', ({ name, objects }) => {
  it('every pod template has a checksum of each ConfigMap and Secret it reads, equal to its content hash', () => {
    const templates = podTemplates(objects);
    expect(templates.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const { owner, template } of templates) {
      const annotations = (template.metadata as any)?.annotations ?? {};
      for (const consumed of referenced(template.spec)) {
        const got = annotations[`checksum/${consumed}`];
        const want = contentHash(objects, name, consumed);
        if (got !== want) problems.push(`${ref(owner)}: checksum/${consumed} is ${got}, content hash ${want}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// A real change, synthesized in memory
// ---------------------------------------------------------------------------------------------

const production = (await loadEnvironments()).find((e) => e.name === 'production')!;

function renderObjects(env: LoadedEnvironment, options?: RenderOptions): K8sObject[] {
  const files = renderEnvironment(env, options).files;
  return [...files].filter(([p]) => p.startsWith(`environments/${env.name}/apps/`) && p.endsWith('.yaml'))
    .flatMap(([, content]) => parseAllDocuments(content).map((d) => d.toJS() as K8sObject))
    .filter((o) => o && o.kind && o.kind !== 'Kustomization');
}

function patched(mutate: (c: EnvironmentConfig) => void): LoadedEnvironment {
  const config = structuredClone(production.config) as EnvironmentConfig;
  mutate(config);
  return { ...production, config };
}

const consumerAnnotations = (objects: K8sObject[], consumed: string) =>
  new Map(podTemplates(objects)
    .filter(({ template }) => referenced(template.spec).has(consumed))
    .map(({ owner, template }) => [ref(owner), (template.metadata as any)?.annotations?.[`checksum/${consumed}`]]));

const before = renderObjects(production);

/** Every consumer of every ConfigMap whose data the change touched got a new checksum. */
function expectConsumersRolled(after: K8sObject[]) {
  const changed = before
    .filter((o) => o.kind === 'ConfigMap')
    .filter((o) => JSON.stringify((o as any).data) !== JSON.stringify((after.find((a) => a.kind === 'ConfigMap' && a.metadata.name === o.metadata.name) as any)?.data))
    .map((o) => `configmap-${o.metadata.name}`);
  expect(changed.length, 'the patch changes some ConfigMap').toBeGreaterThan(0);
  for (const consumed of changed) {
    const old = consumerAnnotations(before, consumed);
    const now = consumerAnnotations(after, consumed);
    expect(old.size, `${consumed} has consumers`).toBeGreaterThan(0);
    for (const [owner, value] of now) expect({ owner, consumed, rolled: value !== old.get(owner) }).toEqual({ owner, consumed, rolled: true });
  }
  return changed;
}

describe('a config change rolls every consumer (production, synthesized in memory)', () => {
  it('app env (laravel.logChannel): web, workers, scheduler, migrations', () => {
    expect(expectConsumersRolled(renderObjects(patched((c) => { c.laravel.logChannel = 'daily'; })))).toContain('configmap-app-env');
  });
  it('web server config (web.phpFpm.maxRequests): web', () => {
    expect(expectConsumersRolled(renderObjects(patched((c) => { c.web.phpFpm.maxRequests += 1; })))).toContain('configmap-web-server-config');
  });
  it('redis.conf (redis.cache.maxmemoryMiB): the cache Redis', () => {
    expect(expectConsumersRolled(renderObjects(patched((c) => { c.redis.cache.maxmemoryMiB -= 1; })))).toContain('configmap-redis-cache-config');
  });
  it('an edited SOPS Secret (new ciphertext of app-secrets): every pod reading it', () => {
    const committed = committedSecretData('production');
    const edited = renderObjects(production, {
      readSecret: (n) => (n === 'app-secrets' ? { ...committed(n), stringData: { APP_KEY: 'ENC[AES256_GCM,data:changed]' } } : committed(n)),
    });
    const old = consumerAnnotations(before, 'secret-app-secrets');
    const now = consumerAnnotations(edited, 'secret-app-secrets');
    expect(now.size).toBeGreaterThanOrEqual(production.config.workers.length + 3);
    for (const [owner, value] of now) expect({ owner, rolled: value !== old.get(owner) }).toEqual({ owner, rolled: true });
    // ...and nothing else: a pod that does not read it keeps its annotations.
    const untouched = podTemplates(edited).filter(({ template }) => !referenced(template.spec).has('secret-app-secrets'));
    for (const { owner, template } of untouched) {
      const was = podTemplates(before).find((t) => ref(t.owner) === ref(owner))!.template.metadata as any;
      expect((template.metadata as any)?.annotations).toEqual(was?.annotations);
    }
  });
});
