/**
 * Base class of every chart: one chart is one output file under environments/<env>/apps/, its
 * objects live in the environment's namespace, and names carry no hash suffix (so diffs only
 * show real changes).
 */
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../apps/config/index.js';

export interface PlatformChartProps {
  readonly config: EnvironmentConfig;
  /** Cluster-scoped objects (the Namespace itself) set this to false. @default true */
  readonly namespaced?: boolean;
}

export abstract class PlatformChart extends Chart {
  /** File name of this chart's manifests, e.g. "web.yaml". */
  abstract readonly fileName: string;
  readonly config: EnvironmentConfig;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, {
      disableResourceNameHashes: true,
      ...((props.namespaced ?? true) ? { namespace: props.config.namespace } : {}),
    });
    this.config = props.config;
  }
}
