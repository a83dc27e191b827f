/**
 * CLI: prints the fake Nodes kwok manages for one environment, as a kubectl-applicable List:
 *   tsx tests/control-plane/kwok-nodes.ts <environment>
 * One Node per pool at its autoscaler floor (cluster.pools[].min), sized by the pool's Linode plan
 * (LINODE_PLANS) and labelled with the pool's labels plus LKE's pool label, so the scheduler places
 * pods as it would on the environment's real pools. kwok marks them Ready (annotation below).
 */
import { LINODE_PLANS, loadEnvironments } from '../../apps/config/index.js';

async function main(name: string | undefined): Promise<void> {
  const env = (await loadEnvironments()).find((e) => e.name === name);
  if (!env) throw new Error(`no environment "${name}" (apps/environments)`);
  const items = env.config.cluster.pools.flatMap((pool) => {
    const plan = LINODE_PLANS[pool.type];
    if (!plan) throw new Error(`cluster.pools[${pool.name}].type: unknown Linode plan "${pool.type}"`);
    const capacity = { cpu: String(plan.vcpus), memory: `${plan.memoryMiB}Mi`, pods: '110', 'ephemeral-storage': `${plan.diskGiB}Gi` };
    return Array.from({ length: pool.min }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: `${pool.name}-${i}`,
        annotations: { 'kwok.x-k8s.io/node': 'fake' },
        labels: { ...(pool.labels ?? {}), 'lke.linode.com/pool-name': pool.name, 'kubernetes.io/hostname': `${pool.name}-${i}`, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
      },
      spec: {},
      status: { capacity, allocatable: capacity },
    }));
  });
  console.log(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2));
}

main(process.argv[2]).catch((error: Error) => {
  console.error(`kwok-nodes: ${error.message}`);
  process.exit(1);
});
