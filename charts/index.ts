/**
 * The app layer of one environment: every chart, in the order their files are listed. A new
 * workload group is one Chart class here.
 */
import { App } from 'cdk8s';
import type { EnvironmentConfig } from '../apps/config/index.js';
import { AppConfigChart } from './app-config-chart.js';
import { AutoscalingChart } from './autoscaling-chart.js';
import type { PlatformChart } from './lib/platform-chart.js';
import { MonitoringChart } from './monitoring-chart.js';
import { NamespaceChart } from './namespace-chart.js';
import { SchedulerChart } from './scheduler-chart.js';
import { WebChart } from './web-chart.js';
import { WorkerChart } from './worker-chart.js';

export function appCharts(app: App, config: EnvironmentConfig): PlatformChart[] {
  const props = { config };
  return [
    new NamespaceChart(app, 'namespace', props),
    new AppConfigChart(app, 'app-config', props),
    new WebChart(app, 'web', props),
    new WorkerChart(app, 'workers', props),
    new SchedulerChart(app, 'scheduler', props),
    new AutoscalingChart(app, 'autoscaling', props),
    new MonitoringChart(app, 'monitoring', props),
  ];
}
