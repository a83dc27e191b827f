/**
 * Pure rendering of one environment: every file synth writes for it, as path -> content.
 * Nothing here touches the disk, so an invalid environment can never leave half an output.
 */
import { App } from 'cdk8s';
import { appCharts } from '../../charts/index.js';
import type { LoadedEnvironment } from '../config/index.js';
import { GENERATORS } from '../generators/index.js';
import { generatedHeader } from '../generators/types.js';
import { checkClusterCapacity } from './cluster-capacity.js';
import { renderHelmChart } from './helm.js';
import { toYamlDocuments } from './yaml.js';

export interface RenderedEnvironment {
  readonly name: string;
  /** Repo-relative path -> content. */
  readonly files: Map<string, string>;
  /** Folders synth owns entirely for this environment: files not rendered are removed. */
  readonly ownedDirs: string[];
}

/** Folder of the app layer's manifests (what the app's Flux Kustomization points at). */
export function appsDir(env: string): string {
  return `environments/${env}/apps`;
}

export function renderEnvironment(env: LoadedEnvironment): RenderedEnvironment {
  const files = new Map<string, string>();
  const header = generatedHeader('#', env.file);
  const app = new App();
  const charts = appCharts(app, env.config);

  const manifests = new Map<string, unknown[]>();
  for (const chart of charts) {
    const objects = chart.toJson();
    if (objects.length === 0) continue;
    manifests.set(chart.fileName, objects);
    files.set(`${appsDir(env.name)}/${chart.fileName}`, toYamlDocuments(objects, header));
  }
  files.set(
    `${appsDir(env.name)}/kustomization.yaml`,
    toYamlDocuments(
      [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...manifests.keys()] }],
      header,
    ),
  );

  checkClusterCapacity(env, manifests);
  for (const [path, content] of renderHelmChart(env, manifests)) files.set(path, content);

  for (const generate of GENERATORS) {
    for (const file of generate(env)) {
      if (files.has(file.path)) throw new Error(`two generators render ${file.path}`);
      files.set(file.path, file.content);
    }
  }
  return { name: env.name, files, ownedDirs: [appsDir(env.name), `dist/helm/${env.name}`] };
}
