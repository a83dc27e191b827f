/**
 * Database migrations: one Job per release running `php artisan migrate --force` on the CLI
 * image. Its name is derived from the image tag (migrationJobName), so a release creates a new
 * Job exactly once and re-applying the same release is a no-op.
 *
 * Ordering: this chart is its own file (migrations.yaml) so the GitOps layer applies it as a
 * Flux Kustomization of its own with `wait: true`, and the app's Kustomization `dependsOn` it:
 * Flux then waits for the Job to complete (kstatus: a Job is ready when it succeeded, failed
 * when it ran out of retries) before rolling out the new web/worker pods. A failed migration
 * stops the rollout and the old release keeps running.
 *
 * No ttlSecondsAfterFinished: if Kubernetes deleted the finished Job, Flux would see it missing
 * and create it again on the next reconcile, running the migrations every interval. The Job
 * stays until the next release, when its name changes and Flux prunes the old one. The
 * `kustomize.toolkit.fluxcd.io/force` annotation lets Flux replace the Job (its pod template is
 * immutable) if anything but the tag changes in it; `migrate` is idempotent, so that re-run is
 * harmless.
 */
import * as k8s from '../imports/k8s.js';
import { Construct } from 'constructs';
import { objectLabels, selectorLabels } from './lib/labels.js';
import { laravelContainer, laravelVolumes } from './lib/laravel.js';
import { POD_ROLE_LABELS } from './lib/names.js';
import { PlatformChart, type Layer, type PlatformChartProps } from './lib/platform-chart.js';
import { hardenedPodTemplate } from './lib/pod-template.js';
import { containerResources } from './lib/resources.js';
import { workloadServiceAccount } from './lib/workload-parts.js';

export const MIGRATIONS_NAME = 'migrations';

/** A migration may run this long before the Job fails (and the rollout with it). */
export const MIGRATION_DEADLINE_SECONDS = 1800;

/** Fixed budget: one artisan process; not worth a config field per environment. */
const MIGRATION_RESOURCES = { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } } as const;

/**
 * `migrate-<tag>`: the image tag lowercased, every run of characters a Kubernetes name cannot
 * hold replaced by "-", cut to fit 63 characters. A digest-only reference uses the digest's
 * first 12 hex digits.
 */
export function migrationJobName(image: string): string {
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const [nameAndTag, digest] = lastSegment.split('@');
  const colon = nameAndTag.indexOf(':');
  const version = colon >= 0 ? nameAndTag.slice(colon + 1) : digest ? digest.replace(/^sha256:/, '').slice(0, 12) : '';
  if (!version) throw new Error(`images.cli: "${image}" has neither a tag nor a digest to name the migration Job after`);
  const slug = version.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `migrate-${slug}`.slice(0, 63).replace(/-+$/, '');
}

export class MigrationsChart extends PlatformChart {
  readonly fileName = 'migrations.yaml';
  override readonly layer: Layer = 'apps/migrations';
  readonly job: k8s.KubeJob;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    const labels = objectLabels(config, MIGRATIONS_NAME, 'migrations');
    workloadServiceAccount(this, MIGRATIONS_NAME, labels);

    this.job = new k8s.KubeJob(this, 'job', {
      metadata: {
        name: migrationJobName(config.images.cli),
        labels,
        annotations: { 'kustomize.toolkit.fluxcd.io/force': 'Enabled' },
      },
      spec: {
        // Two retries cover a pod lost to a node drain; a real failure fails the rollout.
        backoffLimit: 2,
        activeDeadlineSeconds: MIGRATION_DEADLINE_SECONDS,
        template: hardenedPodTemplate({
          serviceAccountName: MIGRATIONS_NAME,
          labels: { ...labels, ...POD_ROLE_LABELS.laravel },
          selector: selectorLabels(MIGRATIONS_NAME),
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 30,
          containerEphemeralMiB: config.ephemeralStorage.containerMiB,
          containers: [
            laravelContainer({
              name: 'migrate',
              image: config.images.cli,
              command: ['php', 'artisan', 'migrate', '--force', '--no-interaction'],
              // DDL needs the migration user; every other pod runs with DML rights only.
              databaseUser: 'migration',
              resources: containerResources(MIGRATION_RESOURCES),
            }),
          ],
          volumes: laravelVolumes(config),
        }),
      },
    });
  }
}
