/**
 * CLI: turns a copy of environments/<env>/ into what the test's git server serves after
 * `flux bootstrap`, the way bootstrap would leave it, and points the chart sources at loopback:
 *   - flux-system/ as bootstrap commits it: gotk-components.yaml (here: the flux-system
 *     Namespace and the Flux CRDs of the pinned controllers; the real file also holds the
 *     controllers' Deployments and RBAC, generated from release manifests this machine cannot
 *     reach: the suite runs the same controllers as loopback processes instead), gotk-sync.yaml
 *     (the GitRepository and the Kustomization of the bootstrap path) and its kustomization.yaml;
 *   - the root kustomization.yaml as synth writes it once flux-system/ exists;
 *   - every HelmRepository URL pointed at the local Helm repository of the pinned charts and every
 *     OCIRepository URL at the local OCI registry (spec.insecure: plain HTTP on loopback). Nothing
 *     else of the committed objects changes.
 *   tsx tests/control-plane/flux-bootstrap.ts <env> <tree root> <git url> <helm repo url> <oci registry host:port> <flux CRD files...>
 */
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { FLUX_BOOTSTRAP_FOLDER, LAYERS } from '../../charts/flux/layers.js';
import { FLUX_GIT_SOURCE } from '../../charts/flux/flux-types.js';
import { loadEnvironments } from '../../apps/load.js';
import { renderEnvironment } from '../../apps/synth/render.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yaml') && !name.endsWith('.sops.yaml') ? [path] : [];
  });
}

async function main([envName, root, gitUrl, helmUrl, ociHost, ...crdFiles]: string[]): Promise<void> {
  if (!envName || !root || !gitUrl || !helmUrl || !ociHost || crdFiles.length === 0) {
    throw new Error('usage: flux-bootstrap.ts <env> <tree root> <git url> <helm repo url> <oci host:port> <flux CRD files...>');
  }
  const env = (await loadEnvironments()).find((e) => e.name === envName);
  if (!env) throw new Error(`no environment "${envName}"`);
  const envDir = join(root, 'environments', envName);

  // Chart sources on loopback: only the URLs change (and insecure for the plain-HTTP registry).
  let sources = 0;
  for (const file of yamlFiles(envDir)) {
    const text = readFileSync(file, 'utf8');
    if (!/kind: (HelmRepository|OCIRepository)/.test(text)) continue;
    const header = text.match(/^(#.*\n)*/)?.[0] ?? '';
    const docs = parseAllDocuments(text).map((d) => d.toJS());
    for (const o of docs) {
      if (o?.kind === 'HelmRepository' && !String(o.spec.url).startsWith('oci://')) { o.spec.url = helmUrl; sources++; }
      if (o?.kind === 'OCIRepository' || (o?.kind === 'HelmRepository' && String(o.spec.url).startsWith('oci://'))) {
        const path = new URL(String(o.spec.url).replace(/^oci:/, 'http:')).pathname;
        o.spec.url = `oci://${ociHost}${path}`;
        o.spec.insecure = true;
        sources++;
      }
    }
    writeFileSync(file, header + docs.map((o) => stringify(o)).join('---\n'));
  }
  if (sources === 0) throw new Error(`${relative(root, envDir)}: no HelmRepository or OCIRepository to point at loopback`);

  // flux-system/ as bootstrap commits it.
  const fluxDir = join(envDir, FLUX_BOOTSTRAP_FOLDER);
  mkdirSync(fluxDir, { recursive: true });
  const crds = crdFiles.map((f) => readFileSync(f, 'utf8').replace(/^---\n/, '')).join('---\n');
  writeFileSync(join(fluxDir, 'gotk-components.yaml'),
    `# flux-system as the test bootstraps it (tests/control-plane/flux-bootstrap.ts)\n${stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system' } })}---\n${crds}`);
  const layersPath = `./environments/${envName}`;
  writeFileSync(join(fluxDir, 'gotk-sync.yaml'), [
    { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: FLUX_GIT_SOURCE, namespace: 'flux-system' }, spec: { interval: '1m0s', ref: { branch: 'main' }, url: gitUrl } },
    { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { interval: '10m0s', path: layersPath, prune: true, sourceRef: { kind: 'GitRepository', name: FLUX_GIT_SOURCE } } },
  ].map((o) => stringify(o)).join('---\n'));
  writeFileSync(join(fluxDir, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['gotk-components.yaml', 'gotk-sync.yaml'] }));

  // The root kustomization as synth writes it once bootstrap has committed flux-system/.
  const rendered = renderEnvironment(env, { bootstrapped: true }).files.get(`environments/${envName}/kustomization.yaml`);
  if (!rendered?.includes(FLUX_BOOTSTRAP_FOLDER)) throw new Error('synth does not list flux-system once bootstrapped');
  writeFileSync(join(envDir, 'kustomization.yaml'), rendered);
  console.log(LAYERS.map((l) => l.name).join(' '));
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`flux-bootstrap: ${error.message}`);
  process.exit(1);
});
