/**
 * Queue workers: one Deployment per worker group, each running `php artisan queue:work` on the
 * CLI image. Processes recycle (--max-jobs, --max-time) so leaks and stale connections never
 * live long; termination grace covers the longest job so a scale-down never kills one midway.
 */
import type { WorkerGroup } from '../apps/config/index.js';
import { Construct } from 'constructs';
import { AppWorkload } from './lib/app-workload.js';
import { laravelCliProbes, laravelContainer, laravelOptimizeInit, laravelVolumes } from './lib/laravel.js';
import { POD_ROLE_LABELS } from './lib/names.js';
import { PlatformChart, type PlatformChartProps } from './lib/platform-chart.js';
import { containerResources } from './lib/resources.js';

export function workerName(group: WorkerGroup): string {
  return `worker-${group.name}`;
}

/** The queue:work command line for a group (queues in priority order). */
export function workerCommand(group: WorkerGroup): string[] {
  return [
    'php', 'artisan', 'queue:work', 'redis',
    `--queue=${group.queues.join(',')}`,
    `--timeout=${group.timeoutSeconds}`,
    `--max-jobs=${group.maxJobs}`,
    `--max-time=${group.maxTimeSeconds}`,
    '--sleep=3',
    '--tries=3',
  ];
}

export class WorkerChart extends PlatformChart {
  readonly fileName = 'workers.yaml';
  readonly workloads: AppWorkload[];

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    this.workloads = config.workers.map((group) => {
      const resources = containerResources(group.resources);
      return new AppWorkload(this, group.name, {
        config,
        name: workerName(group),
        tier: 'worker',
        // Workers call the marketplaces' APIs (eBay, Amazon): HTTPS egress to the internet.
        podLabels: { ...POD_ROLE_LABELS.laravel, ...POD_ROLE_LABELS.internetEgress },
        replicas: group.replicas,
        // SIGTERM lets queue:work finish the current job; a job may take up to --timeout.
        terminationGracePeriodSeconds: group.timeoutSeconds + 30,
        initContainers: [laravelOptimizeInit(config.images.cli, resources)],
        containers: [
          {
            ...laravelContainer({ name: 'worker', image: config.images.cli, command: workerCommand(group), resources }),
            ...laravelCliProbes(),
          },
        ],
        volumes: laravelVolumes(),
      });
    });
  }
}
