/** Production: the base sizes, HA control plane, and room to scale. */
import { environment } from './base.js';

export default environment({
  name: 'production',
  domains: { app: 'app.marketplace.example.com', websockets: 'ws.marketplace.example.com' },
  laravel: { appEnv: 'production' },
  cluster: {
    label: 'marketplace-production',
    region: 'us-east',
    kubernetesVersion: '1.34',
    highAvailability: true,
    pools: [
      { name: 'general', type: 'g6-standard-6', min: 3, max: 10 },
    ],
  },
  // Public age key; the private half is flux-system/sops-age in the cluster (docs/gitops.md).
  secrets: { ageRecipient: 'age1vs3psdv97ameradcpy9usa28mlep90xkrdze9gn99zs7j3pnppgqhdrx0l' },
  network: {
    vpcLabel: 'marketplace-production',
    clusterSubnet: '10.0.0.0/24',
    databaseSubnet: '10.0.1.0/24',
    adminCidrs: ['203.0.113.0/28'],
  },
  database: {
    primary: { name: 'db-primary', privateIp: '10.0.1.10' },
    replicas: [{ name: 'db-replica-1', privateIp: '10.0.1.11' }],
  },
});
