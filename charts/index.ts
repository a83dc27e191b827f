/**
 * The app layer of one environment: every chart, in the order their files are listed. A new
 * workload group is one Chart class here.
 */
import { App } from 'cdk8s';
import type { EnvironmentConfig } from '../apps/config/index.js';
import { AppConfigChart } from './app-config-chart.js';
import { AutoscalingChart } from './autoscaling-chart.js';
import { DatabaseEndpointsChart } from './database-endpoints-chart.js';
import { GatewayRoutesChart } from './gateway-routes-chart.js';
import type { PlatformChart } from './lib/platform-chart.js';
import { MeilisearchChart } from './meilisearch-chart.js';
import { MigrationsChart } from './migrations-chart.js';
import { MonitoringChart } from './monitoring-chart.js';
import { NamespaceChart } from './namespace-chart.js';
import { NetworkPoliciesChart } from './network-policies-chart.js';
import { RedisChart } from './redis-chart.js';
import { SchedulerChart } from './scheduler-chart.js';
import { SoketiChart } from './soketi-chart.js';
import { WebChart } from './web-chart.js';
import { WorkerChart } from './worker-chart.js';

export function appCharts(app: App, config: EnvironmentConfig): PlatformChart[] {
  const props = { config };
  return [
    new NamespaceChart(app, 'namespace', props),
    new AppConfigChart(app, 'app-config', props),
    new NetworkPoliciesChart(app, 'network-policies', props),
    new DatabaseEndpointsChart(app, 'database-endpoints', props),
    new RedisChart(app, 'redis', props),
    new MeilisearchChart(app, 'meilisearch', props),
    new SoketiChart(app, 'soketi', props),
    // Its own file: the GitOps layer applies it first and waits for it (see migrations-chart.ts).
    new MigrationsChart(app, 'migrations', props),
    new WebChart(app, 'web', props),
    new WorkerChart(app, 'workers', props),
    new SchedulerChart(app, 'scheduler', props),
    new GatewayRoutesChart(app, 'gateway-routes', props),
    new AutoscalingChart(app, 'autoscaling', props),
    new MonitoringChart(app, 'monitoring', props),
  ];
}
