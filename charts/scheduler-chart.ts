/**
 * The Laravel scheduler: exactly one pod running `schedule:work` on the Cron image. Recreate, so
 * an update never runs two schedulers at once (duplicate scheduled jobs). It does not scale
 * horizontally by design; long tasks belong on the queues, where workers scale.
 */
import { Construct } from 'constructs';
import { AppWorkload } from './lib/app-workload.js';
import { laravelCliProbes, laravelContainer, laravelOptimizeInit, laravelVolumes } from './lib/laravel.js';
import { POD_ROLE_LABELS } from './lib/names.js';
import { PlatformChart, type PlatformChartProps } from './lib/platform-chart.js';
import { containerResources } from './lib/resources.js';

export class SchedulerChart extends PlatformChart {
  readonly fileName = 'scheduler.yaml';
  readonly workload: AppWorkload;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    const resources = containerResources(config.scheduler.resources);
    this.workload = new AppWorkload(this, 'scheduler', {
      config,
      name: 'scheduler',
      tier: 'scheduler',
      // Scheduled commands run in this pod and may call the marketplaces' APIs directly.
      podLabels: { ...POD_ROLE_LABELS.laravel, ...POD_ROLE_LABELS.internetEgress },
      replicas: 1,
      strategy: 'Recreate',
      terminationGracePeriodSeconds: 60,
      initContainers: [laravelOptimizeInit(config.images.cron, resources)],
      containers: [
        {
          ...laravelContainer({ name: 'scheduler', image: config.images.cron, command: ['php', 'artisan', 'schedule:work'], resources }),
          ...laravelCliProbes(),
        },
      ],
      volumes: laravelVolumes(config),
    });
  }
}
