/**
 * The MariaDB VMs as in-cluster Services: `mariadb-primary` (writes, DB_HOST) and
 * `mariadb-replicas` (reads, DB_READ_HOST), each a Service without a selector plus an
 * EndpointSlice listing the VMs' fixed private VPC addresses from the config. The app uses
 * stable cluster DNS names; moving a database is a config change, not an app release.
 *
 * The slices carry a managed-by label of their own so the EndpointSlice controller (which only
 * manages slices of Services with selectors) leaves them alone. There is no health checking: a
 * replica that is down stays listed and kube-proxy keeps sending some new read connections to it
 * until it is removed from the config (see docs/workloads.md).
 */
import * as k8s from '../imports/k8s.js';
import { Construct } from 'constructs';
import type { DbHost } from '../apps/config/index.js';
import { databaseConnectionAnnotations } from './lib/capacity-annotations.js';
import { objectLabels } from './lib/labels.js';
import { PORTS, SERVICE_NAMES } from './lib/names.js';
import { PlatformChart, type Layer, type PlatformChartProps } from './lib/platform-chart.js';

export const ENDPOINT_SLICE_MANAGER = 'platform.marketplace';

export class DatabaseEndpointsChart extends PlatformChart {
  readonly fileName = 'database-endpoints.yaml';
  override readonly layer: Layer = 'apps/base';

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    const { database } = props.config;
    this.addEndpoint(SERVICE_NAMES.dbWrite, [database.primary]);
    // Without replicas, DB_READ_HOST points at the primary (app-config-chart) and no read
    // Service exists.
    if (database.replicas.length > 0) this.addEndpoint(SERVICE_NAMES.dbRead, database.replicas);
  }

  private addEndpoint(name: string, hosts: readonly DbHost[]): void {
    const labels = objectLabels(this.config, name, 'database');
    new k8s.KubeService(this, `${name}-service`, {
      metadata: { name, labels, annotations: databaseConnectionAnnotations(this.config) },
      spec: {
        type: 'ClusterIP',
        ports: [{ name: 'mysql', port: PORTS.mysql, targetPort: k8s.IntOrString.fromNumber(PORTS.mysql), protocol: 'TCP' }],
      },
    });
    new k8s.KubeEndpointSlice(this, `${name}-endpoints`, {
      metadata: {
        name: `${name}-vms`,
        labels: {
          ...labels,
          'kubernetes.io/service-name': name,
          'endpointslice.kubernetes.io/managed-by': ENDPOINT_SLICE_MANAGER,
        },
      },
      addressType: 'IPv4',
      ports: [{ name: 'mysql', port: PORTS.mysql, protocol: 'TCP' }],
      endpoints: hosts.map((host) => ({
        addresses: [host.privateIp],
        hostname: host.name,
        conditions: { ready: true },
      })),
    });
  }
}
