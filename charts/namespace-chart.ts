/** The app namespace, with the restricted Pod Security Standard enforced. */
import * as k8s from '../imports/k8s.js';
import { Construct } from 'constructs';
import { objectLabels } from './lib/labels.js';
import { PlatformChart, type Layer, type PlatformChartProps } from './lib/platform-chart.js';

export class NamespaceChart extends PlatformChart {
  readonly fileName = 'namespace.yaml';
  override readonly layer: Layer = 'apps/base';

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { ...props, namespaced: false });
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: props.config.namespace,
        labels: {
          ...objectLabels(props.config, props.config.namespace),
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
  }
}
