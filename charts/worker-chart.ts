/**
 * Queue workers: one Deployment per worker group, each running `php artisan queue:work` on the
 * CLI image. Processes recycle (--max-jobs, --max-time) so leaks and stale connections never
 * live long, restarted in place by a supervisor loop (lib/worker-supervisor.ts); each group's
 * REDIS_QUEUE_RETRY_AFTER carries its retry_after (lib/worker-queue.ts); termination grace
 * covers the longest job so a scale-down never kills one midway.
 */
import type { WorkerGroup } from '../apps/config/index.js';
import { Construct } from 'constructs';
import { AppWorkload } from './lib/app-workload.js';
import { laravelCliProbes, laravelContainer, laravelOptimizeInit, laravelVolumes } from './lib/laravel.js';
import { POD_ROLE_LABELS, WORKER_PROCESS } from './lib/names.js';
import { PlatformChart, type PlatformChartProps } from './lib/platform-chart.js';
import { containerResources } from './lib/resources.js';
import { workerContainerCommand, workerQueueEnv } from './lib/worker-queue.js';

export function workerName(group: WorkerGroup): string {
  return `worker-${group.name}`;
}

export class WorkerChart extends PlatformChart {
  readonly fileName = 'workers.yaml';
  readonly workloads: AppWorkload[];

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    this.workloads = config.workers.map((group) => {
      const resources = containerResources(group.resources);
      const env = workerQueueEnv(group);
      return new AppWorkload(this, group.name, {
        config,
        name: workerName(group),
        tier: 'worker',
        // Workers call the marketplaces' APIs (eBay, Amazon): HTTPS egress to the internet.
        podLabels: { ...POD_ROLE_LABELS.laravel, ...POD_ROLE_LABELS.internetEgress },
        replicas: group.replicas,
        // SIGTERM lets queue:work finish the current job; a job may take up to --timeout.
        terminationGracePeriodSeconds: group.timeoutSeconds + WORKER_PROCESS.killMarginSeconds,
        // The config cache is built here, so it must see the group's env too.
        initContainers: [laravelOptimizeInit(config.images.cli, resources, env)],
        containers: [
          {
            ...laravelContainer({
              name: 'worker',
              image: config.images.cli,
              // queue:work under a supervisor loop: recycling restarts in place, not via back-off.
              command: workerContainerCommand(group),
              resources,
              env,
            }),
            ...laravelCliProbes(),
          },
        ],
        volumes: laravelVolumes(config),
      });
    });
  }
}
