/** Staging: production's shape at a fraction of the size; one DB replica still, to test the split. */
import { environment } from './base.js';

export default environment({
  name: 'staging',
  domains: { app: 'app.staging.marketplace.example.com', websockets: 'ws.staging.marketplace.example.com' },
  laravel: { appEnv: 'staging' },
  web: { replicas: { min: 1, max: 4 } },
  soketi: { replicas: { min: 1, max: 2 } },
  // Marketplace syncs are scheduled, not constant, in staging: no sync worker while the queue is
  // empty (KEDA wakes one on the first job and removes the last after its cooldown).
  workers: [{ name: 'sync', scaleToZero: true, replicas: { min: 0, max: 4 } }],
  redis: { merged: true },
  capacity: { peakConcurrentUsers: 200 },
  cluster: {
    label: 'marketplace-staging',
    region: 'us-east',
    kubernetesVersion: '1.34',
    highAvailability: false,
    pools: [
      { name: 'general', type: 'g6-standard-4', min: 2, max: 5 },
    ],
  },
  // Public age key; the private half is flux-system/sops-age in the cluster (docs/gitops.md).
  secrets: { ageRecipient: 'age1w5sw0vylhe63gvksxhd7dsw3nprnsgv63aryvpnejemlrdy45euqfd0hdv' },
  network: {
    vpcLabel: 'marketplace-staging',
    clusterSubnet: '10.10.0.0/24',
    databaseSubnet: '10.10.1.0/24',
    adminCidrs: ['203.0.113.0/28'],
  },
  database: {
    plan: 'g6-dedicated-4',
    primary: { name: 'db-primary', privateIp: '10.10.1.10' },
    replicas: [{ name: 'db-replica-1', privateIp: '10.10.1.11' }],
    maxConnections: 300,
  },
});
