/**
 * Every HelmRelease of every environment, rendered from its pinned chart archive with its values
 * and the environment's Kubernetes version (cluster.kubernetesVersion): what the controllers
 * layer really installs. The environment's own objects come from synth (renderEnvironment, no
 * disk), the same objects the committed environments/<env>/ holds (the drift suite checks that).
 */
import { parseAllDocuments } from 'yaml';
import { type EnvironmentConfig } from '../../../apps/config/index.js';
import { loadEnvironments } from '../../../apps/load.js';
import { renderEnvironment } from '../../../apps/synth/render.js';
import type { K8sObject } from '../../../policies/manifest.js';
import { chartArchive, type ChartArchive } from './helm-repository.js';
import { helmReleases, type HelmReleaseInput } from './helm-releases.js';
import { renderChart } from './render-chart.js';

export interface RenderedRelease extends HelmReleaseInput {
  readonly archive: ChartArchive;
  readonly kubeVersion: string;
  readonly objects: K8sObject[];
}

export interface EnvironmentCharts {
  readonly name: string;
  readonly config: EnvironmentConfig;
  /** What synth renders for the environment. */
  readonly objects: K8sObject[];
  readonly releases: RenderedRelease[];
}

export async function environmentObjects(): Promise<Array<{ name: string; config: EnvironmentConfig; objects: K8sObject[] }>> {
  return (await loadEnvironments()).map((env) => {
    const objects: K8sObject[] = [];
    // Only what Flux applies (the files map also holds the Helm chart of dist/helm).
    const prefix = `environments/${env.name}/`;
    for (const [path, content] of renderEnvironment(env).files) {
      if (!path.startsWith(prefix) || !path.endsWith('.yaml')) continue;
      for (const doc of parseAllDocuments(content)) {
        const o = doc.toJS() as K8sObject | null;
        if (o && typeof o.kind === 'string') objects.push(o);
      }
    }
    return { name: env.name, config: env.config, objects };
  });
}

/** The HelmReleases and their archives without rendering: the inputs (cache keys). */
export async function environmentReleases(): Promise<Array<{ name: string; config: EnvironmentConfig; objects: K8sObject[]; releases: Array<HelmReleaseInput & { archive: ChartArchive }> }>> {
  return (await environmentObjects()).map((env) => ({
    ...env,
    releases: helmReleases(env.objects, `environment ${env.name}`).map((r) => {
      try {
        return { ...r, archive: chartArchive(r.chart, r.version) };
      } catch (error) {
        throw new Error(`environment ${env.name}, HelmRelease ${r.namespace}/${r.release}: ${(error as Error).message}`);
      }
    }),
  }));
}

export async function environmentCharts(): Promise<EnvironmentCharts[]> {
  return (await environmentReleases()).map((env) => {
    const kubeVersion = env.config.cluster.kubernetesVersion;
    return {
      ...env,
      releases: env.releases.map((r) => ({ ...r, kubeVersion, objects: renderChart(r, r.archive.path, kubeVersion) })),
    };
  });
}
