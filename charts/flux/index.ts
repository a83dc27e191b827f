/** The cluster layers of one environment: Flux entry point, controllers, and their configs. */
import { App } from 'cdk8s';
import type { EnvironmentConfig } from '../../apps/config/index.js';
import type { PlatformChart } from '../lib/platform-chart.js';
import { ControllerChart } from './controller-chart.js';
import { CONTROLLERS } from './controllers.js';
import { GatewayChart } from './gateway-chart.js';
import { IssuerChart } from './issuer-chart.js';
import { LayersChart } from './layers-chart.js';

export function clusterCharts(app: App, config: EnvironmentConfig): PlatformChart[] {
  const props = { config };
  return [
    new LayersChart(app, 'flux-layers', props),
    ...CONTROLLERS.map((controller) => new ControllerChart(app, `controller-${controller.name}`, { ...props, controller })),
    new IssuerChart(app, 'cluster-issuer', props),
    new GatewayChart(app, 'gateway', props),
  ];
}
