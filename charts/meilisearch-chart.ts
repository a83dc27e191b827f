/**
 * Meilisearch: one StatefulSet pod with its index on a retained Linode Block Storage volume.
 *
 * It does not scale horizontally: Meilisearch (community edition) is a single-node engine. Its
 * LMDB index lives on one ReadWriteOnce volume, there is no replication or sharding between
 * instances, so a second replica would be a second, empty index answering queries. It is sized
 * vertically from `meilisearch.resources` and `meilisearch.storageGiB`; the indexing memory and
 * thread budgets below are derived from the same numbers, because Meilisearch otherwise sizes
 * itself from the node's RAM and cores (not the container's) and gets OOM-killed while indexing.
 *
 * Recovery: a snapshot is written every `snapshotIntervalSeconds` into the same volume
 * (/meili_data/snapshots), which covers a corrupted index; the volume itself is protected by the
 * Retain reclaim policy (see docs/workloads.md for off-volume copies).
 */
import { cpuMillis, memoryMiB, type EnvironmentConfig } from '../apps/config/index.js';
import * as k8s from '../imports/k8s.js';
import { Construct } from 'constructs';
import { PORTS, SERVICE_NAMES } from './lib/names.js';
import { PlatformChart, type Layer, type PlatformChartProps } from './lib/platform-chart.js';
import { containerResources } from './lib/resources.js';
import { SECRETS, secretEnv } from './lib/secrets.js';
import { StatefulWorkload } from './lib/stateful-workload.js';
import { emptyDir, mount } from './lib/volumes.js';

export const MEILI_DATA_DIR = '/meili_data';

/** Share of the memory limit Meilisearch may use for indexing (the rest: search, LMDB pages). */
export const INDEXING_MEMORY_FRACTION = 0.5;

/** MEILI_MAX_INDEXING_MEMORY in bytes: a fraction of the container's limit, not the node's RAM. */
export function maxIndexingMemoryBytes(config: EnvironmentConfig): number {
  return Math.floor(memoryMiB(config.meilisearch.resources.limits.memory) * INDEXING_MEMORY_FRACTION) * 1024 * 1024;
}

/** MEILI_MAX_INDEXING_THREADS: the cores the pod is guaranteed (its CPU request), at least one. */
export function maxIndexingThreads(config: EnvironmentConfig): number {
  return Math.max(1, Math.floor(cpuMillis(config.meilisearch.resources.requests.cpu) / 1000));
}

export class MeilisearchChart extends PlatformChart {
  readonly fileName = 'meilisearch.yaml';
  override readonly layer: Layer = 'apps/base';
  readonly workload: StatefulWorkload;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { config } = props;
    const http = (path: string): k8s.Probe['httpGet'] => ({ path, port: k8s.IntOrString.fromNumber(PORTS.meilisearch) });

    this.workload = new StatefulWorkload(this, 'meilisearch', {
      config,
      name: SERVICE_NAMES.meilisearch,
      tier: 'search',
      // Meilisearch finishes the current indexing batch on SIGTERM; an interrupted one is
      // replayed from its task queue on start, so the grace period only bounds the wait.
      terminationGracePeriodSeconds: 60,
      containers: [
        {
          name: 'meilisearch',
          image: config.images.meilisearch,
          command: ['/bin/meilisearch'],
          args: [`--schedule-snapshot=${config.meilisearch.snapshotIntervalSeconds}`],
          env: [
            secretEnv(SECRETS.meilisearch, 'MEILI_MASTER_KEY'),
            { name: 'MEILI_ENV', value: 'production' },
            { name: 'MEILI_HTTP_ADDR', value: `0.0.0.0:${PORTS.meilisearch}` },
            { name: 'MEILI_DB_PATH', value: `${MEILI_DATA_DIR}/data.ms` },
            { name: 'MEILI_SNAPSHOT_DIR', value: `${MEILI_DATA_DIR}/snapshots` },
            { name: 'MEILI_DUMP_DIR', value: `${MEILI_DATA_DIR}/dumps` },
            { name: 'MEILI_NO_ANALYTICS', value: 'true' },
            { name: 'MEILI_MAX_INDEXING_MEMORY', value: String(maxIndexingMemoryBytes(config)) },
            { name: 'MEILI_MAX_INDEXING_THREADS', value: String(maxIndexingThreads(config)) },
            // GET /metrics (Prometheus format), behind an API key with the metrics.get action.
            { name: 'MEILI_EXPERIMENTAL_ENABLE_METRICS', value: 'true' },
          ],
          ports: [{ name: 'http', containerPort: PORTS.meilisearch, protocol: 'TCP' }],
          resources: containerResources(config.meilisearch.resources),
          // Opening a large index after a restart or an upgrade takes a while: up to 10 minutes.
          startupProbe: { httpGet: http('/health'), periodSeconds: 10, failureThreshold: 60 },
          // Readiness: /health answers "available" (the HTTP API and the index are up): serve.
          // Liveness: only that the process accepts connections. A /health slowed by a large
          // indexing batch must take the pod out of rotation, not restart it: a restart replays
          // the interrupted batch from the task queue and makes the stall longer.
          readinessProbe: { httpGet: http('/health'), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
          livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(PORTS.meilisearch) }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
          volumeMounts: [mount('data', MEILI_DATA_DIR), mount('tmp', '/tmp')],
        },
      ],
      volumes: [emptyDir('tmp', `${config.ephemeralStorage.emptyDirMiB.meilisearchTmp}Mi`)],
      volumeClaims: [{ name: 'data', storageGiB: config.meilisearch.storageGiB }],
      servicePorts: [{ name: 'http', port: PORTS.meilisearch }],
    });
  }
}
