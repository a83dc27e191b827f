/**
 * Pure rendering of one environment: every file synth writes for it, as path -> content.
 * Nothing here touches the disk, so an invalid environment can never leave half an output.
 *
 * environments/<env>/
 *   kustomization.yaml, layers.yaml   the bootstrap path: Flux's layer Kustomizations
 *   infrastructure/controllers/       layer 1: third-party controllers (HelmReleases)
 *   infrastructure/configs/           layer 2: Gateway, ClusterIssuer
 *   apps/base/                        layer 3: namespace, config, secrets, policies, data services
 *   apps/migrations/                  layer 4: the release's migration Job
 *   apps/workloads/                   layer 5: web, workers, scheduler, routes, scaling, monitors
 *                                     (apps/ as a whole is also the Helm chart dist/helm/<env>)
 *   secrets/                          SOPS-encrypted Secrets, hand-managed (not generated)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { appCharts } from '../../charts/index.js';
import { clusterCharts } from '../../charts/flux/index.js';
import { BOOTSTRAP_RESOURCES, FLUX_BOOTSTRAP_FOLDER, LAYERS, relativeFolder } from '../../charts/flux/layers.js';
import type { Layer } from '../../charts/lib/platform-chart.js';
import { REPO_ROOT, type LoadedEnvironment } from '../config/index.js';
import { GENERATORS } from '../generators/index.js';
import { generatedHeader } from '../generators/types.js';
import { annotateConfigChecksums, type SecretDataReader } from '../../charts/lib/config-checksums.js';
import { checkClusterCapacity } from './cluster-capacity.js';
import { committedSecretData } from './committed-secrets.js';
import { checkEphemeralCapacity } from './ephemeral-capacity.js';
import { renderHelmChart } from './helm.js';
import { toYamlDocuments } from './yaml.js';

export interface RenderedEnvironment {
  readonly name: string;
  /** Repo-relative path -> content. */
  readonly files: Map<string, string>;
  /** Folders synth owns entirely for this environment: files not rendered are removed. */
  readonly ownedDirs: string[];
}

export function environmentDir(env: string): string {
  return `environments/${env}`;
}

function isAppLayer(layer: Layer): boolean {
  return layer.startsWith('apps/');
}

function kustomization(resources: readonly string[], header: string): string {
  return toYamlDocuments(
    [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] }],
    header,
  );
}

export interface RenderOptions {
  /** Where the encrypted Secrets come from. @default the files committed for the environment */
  readonly readSecret?: SecretDataReader;
  /** Whether `flux bootstrap` has committed environments/<env>/flux-system/. @default whether that folder exists */
  readonly bootstrapped?: boolean;
}

export function renderEnvironment(env: LoadedEnvironment, options: RenderOptions = {}): RenderedEnvironment {
  const files = new Map<string, string>();
  const header = generatedHeader('#', env.file);
  const app = new App();
  const root = environmentDir(env.name);

  // Layer folder -> file name -> objects, in chart order.
  const layers = new Map<Layer, Map<string, unknown[]>>();
  const charts = [...clusterCharts(app, env.config), ...appCharts(app, env.config)].map((chart) => ({ chart, objects: chart.toJson() }));
  // Pods roll when a ConfigMap or Secret they read changes (needs every chart's objects).
  annotateConfigChecksums(charts.flatMap((c) => c.objects), options.readSecret ?? committedSecretData(env.name));
  for (const { chart, objects } of charts) {
    if (objects.length === 0) continue;
    const layer = layers.get(chart.layer) ?? new Map<string, unknown[]>();
    if (layer.has(chart.fileName)) throw new Error(`two charts render ${chart.layer}/${chart.fileName}`);
    layer.set(chart.fileName, objects);
    layers.set(chart.layer, layer);
    files.set(`${root}/${chart.layer === '.' ? '' : `${chart.layer}/`}${chart.fileName}`, toYamlDocuments(objects, header));
  }

  // The bootstrap path lists flux-system/ (Flux's own components) once `flux bootstrap` has
  // committed it, so Flux manages itself from git; before that the tree still builds as committed.
  const bootstrapped = options.bootstrapped ?? existsSync(join(REPO_ROOT, root, FLUX_BOOTSTRAP_FOLDER));
  files.set(`${root}/kustomization.yaml`, kustomization(bootstrapped ? [FLUX_BOOTSTRAP_FOLDER, ...BOOTSTRAP_RESOURCES] : BOOTSTRAP_RESOURCES, header));
  for (const spec of LAYERS) {
    const names = [...(layers.get(spec.folder)?.keys() ?? [])];
    if (spec.secretsFolder) names.push(relativeFolder(spec.folder, spec.secretsFolder));
    files.set(`${root}/${spec.folder}/kustomization.yaml`, kustomization(names, header));
  }

  const appManifests = new Map<string, unknown[]>();
  for (const [layer, manifests] of layers) {
    if (!isAppLayer(layer)) continue;
    for (const [fileName, objects] of manifests) {
      if (appManifests.has(fileName)) throw new Error(`two app layers render a file named ${fileName}`);
      appManifests.set(fileName, objects);
    }
  }
  checkClusterCapacity(env, appManifests);
  checkEphemeralCapacity(env, appManifests);
  for (const [path, content] of renderHelmChart(env, appManifests)) files.set(path, content);

  for (const generate of GENERATORS) {
    for (const file of generate(env)) {
      if (files.has(file.path)) throw new Error(`two generators render ${file.path}`);
      files.set(file.path, file.content);
    }
  }
  return {
    name: env.name,
    files,
    ownedDirs: [...new Set(LAYERS.map((l) => `${root}/${l.folder.split('/')[0]}`)), `dist/helm/${env.name}`],
  };
}
