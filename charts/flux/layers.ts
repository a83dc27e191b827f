/**
 * The layout of environments/<env>/ as Flux sees it. One table, used by the layer
 * Kustomizations (layers-chart.ts), by synth (which folders it owns and what each folder's
 * kustomization.yaml includes) and by the secret checks.
 */
import type { Layer } from '../lib/platform-chart.js';

export interface LayerSpec {
  /** Flux Kustomization name (in flux-system). */
  readonly name: string;
  readonly folder: Exclude<Layer, '.'>;
  readonly dependsOn: readonly string[];
  /** Hand-managed SOPS-encrypted Secrets this layer applies (folder under environments/<env>/). */
  readonly secretsFolder?: string;
  readonly timeout: string;
}

export const LAYERS: readonly LayerSpec[] = [
  { name: 'infra-controllers', folder: 'infrastructure/controllers', dependsOn: [], timeout: '15m' },
  {
    name: 'infra-configs',
    folder: 'infrastructure/configs',
    dependsOn: ['infra-controllers'],
    secretsFolder: 'secrets/infrastructure',
    timeout: '10m',
  },
  // Everything a migration needs, and the data services: namespace, config, secrets, policies.
  { name: 'app-base', folder: 'apps/base', dependsOn: ['infra-configs'], secretsFolder: 'secrets/apps', timeout: '10m' },
  // The release's migration Job: the workloads only roll out once it has succeeded.
  { name: 'app-migrations', folder: 'apps/migrations', dependsOn: ['app-base'], timeout: '30m' },
  { name: 'app-workloads', folder: 'apps/workloads', dependsOn: ['app-migrations'], timeout: '15m' },
];

/** Our files at the bootstrap path (synth writes them). */
export const BOOTSTRAP_RESOURCES = ['layers.yaml'] as const;
/** The folder `flux bootstrap` commits at the bootstrap path: Flux's components and its sync objects. */
export const FLUX_BOOTSTRAP_FOLDER = 'flux-system';

/** A path relative to `from` (a folder of environments/<env>/) pointing at `to` (another). */
export function relativeFolder(from: string, to: string): string {
  const up = from.split('/').map(() => '..').join('/');
  return `${up}/${to}`;
}
