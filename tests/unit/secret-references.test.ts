import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { plaintextProblems, readSecretDocuments } from '../../apps/gitops/secret-files.js';
import {
  clusterCreatedSecrets, missingSecrets, secretReferences, secretsInFiles,
} from '../../apps/gitops/secret-references.js';
import { renderedObjects } from '../../apps/synth/objects.js';
import { renderEnvironment } from '../../apps/synth/render.js';

const environments = await loadEnvironments();

function provided(objects: Record<string, any>[], documents: ReturnType<typeof readSecretDocuments>) {
  return [...secretsInFiles(documents), ...clusterCreatedSecrets(objects)];
}

describe.each(environments.map((e) => [e.name, e] as const))('secrets of %s', (name, env) => {
  const objects = renderedObjects(renderEnvironment(env)).map((o) => o.object);
  const documents = readSecretDocuments(REPO_ROOT, name);

  it('has encrypted secret files', () => {
    // A new environment has none yet: say what to run rather than fail on a bare count.
    expect(documents.length, `environments/${name}/secrets/ holds no SOPS-encrypted Secrets. For a new environment: ` +
      `add its age recipient to .sops.yaml, then run \`npm run secrets:scaffold\` (needs sops: bash .ci/install.d/30-gitops.sh) ` +
      `and set the real values with \`sops environments/${name}/secrets/<layer>/<name>.sops.yaml\` (docs/gitops.md)`).toBeGreaterThan(0);
  });

  it('defines every Secret name and key a workload refers to', () => {
    const refs = secretReferences(objects);
    expect(refs.length).toBeGreaterThan(0);
    expect(missingSecrets(refs, provided(objects, documents))).toEqual([]);
  });

  it('keeps every secret value encrypted', () => {
    expect(plaintextProblems(documents)).toEqual([]);
  });

  it('never synthesizes a Secret (they come only from SOPS files)', () => {
    expect(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual([]);
  });

  it('catches a removed key and a missing Secret', () => {
    const refs = secretReferences(objects);
    const keyed = refs.find((r) => r.key !== undefined)!;
    const withoutKey = documents.map(({ file, doc }) =>
      doc.metadata?.name === keyed.name && doc.metadata?.namespace === keyed.namespace
        ? { file, doc: { ...doc, stringData: Object.fromEntries(Object.entries(doc.stringData ?? {}).filter(([k]) => k !== keyed.key)) } }
        : { file, doc });
    expect(missingSecrets(refs, provided(objects, withoutKey)).join('\n'))
      .toContain(`key "${keyed.key}" is missing from Secret ${keyed.namespace}/${keyed.name}`);
    const withoutSecret = documents.filter(({ doc }) => doc.metadata?.name !== keyed.name);
    expect(missingSecrets(refs, provided(objects, withoutSecret)).join('\n'))
      .toContain(`Secret ${keyed.namespace}/${keyed.name} is not defined in any encrypted secrets file`);
  });
});

describe('secretReferences', () => {
  it('finds env, envFrom, volume, TriggerAuthentication and issuer references', () => {
    const refs = secretReferences([
      { kind: 'Deployment', metadata: { name: 'd', namespace: 'm' }, spec: { template: { spec: {
        containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 's1', key: 'k1' } } }], envFrom: [{ secretRef: { name: 's2' } }] }],
        volumes: [{ name: 'v', secret: { secretName: 's3', items: [{ key: 'k3', path: 'p' }] } }],
      } } } },
      { kind: 'TriggerAuthentication', metadata: { name: 't', namespace: 'm' }, spec: { secretTargetRef: [{ parameter: 'password', name: 's4', key: 'k4' }] } },
      { kind: 'ClusterIssuer', metadata: { name: 'i' }, spec: { acme: { solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { name: 's5', key: 'k5' } } } }] } } },
    ]);
    expect(refs.map((r) => `${r.namespace}/${r.name}/${r.key ?? '*'}`)).toEqual([
      'm/s1/k1', 'm/s2/*', 'm/s3/k3', 'm/s4/k4', 'cert-manager/s5/k5',
    ]);
  });
});

describe('plaintextProblems', () => {
  it('reports a plaintext value and a file without SOPS metadata', () => {
    expect(plaintextProblems([
      { file: 'a.sops.yaml', doc: { kind: 'Secret', stringData: { A: 'ENC[x]', B: 'hunter2' }, sops: {} } },
      { file: 'b.sops.yaml', doc: { kind: 'Secret', data: { C: 'ENC[y]' } } },
    ])).toEqual(['a.sops.yaml: stringData.B is in plaintext', 'b.sops.yaml: not SOPS-encrypted (no sops metadata)']);
  });
});
