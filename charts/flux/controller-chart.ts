/** One third-party controller (namespace, chart source, HelmRelease) in its own file. */
import * as k8s from '../../imports/k8s.js';
import { Construct } from 'constructs';
import { objectLabels } from '../lib/labels.js';
import { PlatformChart, type Layer, type PlatformChartProps } from '../lib/platform-chart.js';
import type { ControllerSpec } from './controllers.js';
import { FluxHelmRelease } from './flux-types.js';

export interface ControllerChartProps extends PlatformChartProps {
  readonly controller: ControllerSpec;
}

export class ControllerChart extends PlatformChart {
  readonly fileName: string;
  override readonly layer: Layer = 'infrastructure/controllers';

  constructor(scope: Construct, id: string, props: ControllerChartProps) {
    super(scope, id, { ...props, namespaced: false });
    const { controller, config } = props;
    this.fileName = `${controller.name}.yaml`;
    if (controller.namespace !== 'kube-system') {
      new k8s.KubeNamespace(this, 'namespace', {
        metadata: {
          name: controller.namespace,
          labels: {
            ...objectLabels(config, controller.name, 'controller'),
            'pod-security.kubernetes.io/enforce': controller.podSecurity,
          },
        },
      });
    }
    new FluxHelmRelease(this, 'release', {
      name: controller.name,
      namespace: controller.namespace,
      source: controller.source,
      values: controller.values(config),
      dependsOn: controller.dependsOn,
    });
  }
}
