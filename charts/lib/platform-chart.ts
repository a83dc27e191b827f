/**
 * Base class of every chart: one chart is one output file under environments/<env>/<layer>/, its
 * objects live in the environment's namespace (unless cluster-scoped), and names carry no hash
 * suffix (so diffs only show real changes).
 */
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../apps/config/index.js';

/**
 * Folders of environments/<env>/. '.' is the folder `flux bootstrap` points at (the Flux layer
 * Kustomizations); the others are the layers, applied in this order, each waiting for the one
 * before to be healthy (charts/flux/layers.ts):
 *   controllers (operators, CRDs) -> configs (objects of those CRDs)
 *   -> app base (namespace, config, secrets, policies, data services) -> migrations -> workloads
 */
export type Layer =
  | '.'
  | 'infrastructure/controllers'
  | 'infrastructure/configs'
  | 'apps/base'
  | 'apps/migrations'
  | 'apps/workloads';

export interface PlatformChartProps {
  readonly config: EnvironmentConfig;
  /** Cluster-scoped objects (the Namespace itself) set this to false. @default true */
  readonly namespaced?: boolean;
}

export abstract class PlatformChart extends Chart {
  /** File name of this chart's manifests inside its layer folder, e.g. "web.yaml". */
  abstract readonly fileName: string;
  /** The Flux layer folder the file belongs to. */
  readonly layer: Layer = 'apps/workloads';
  readonly config: EnvironmentConfig;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, {
      disableResourceNameHashes: true,
      ...((props.namespaced ?? true) ? { namespace: props.config.namespace } : {}),
    });
    this.config = props.config;
  }
}
