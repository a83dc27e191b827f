/**
 * CLI: the nodes the node simulator registers for an environment (JSON on stdout): every pool of
 * cluster.pools at its autoscaler maximum (the capacity rules hold the app's maximum scale to
 * that), each node with its plan's allocatable CPU and memory (the figures the capacity rules
 * use), its ephemeral storage, a kubelet port of its own for metrics-server, and a /24 of LKE's
 * pod CIDR.
 *   tsx tests/control-plane/node-specs.ts <environment> <first kubelet port>
 */
import { allocatable, LINODE_PLANS } from '../../apps/config/index.js';
import { loadEnvironments } from '../../apps/load.js';
import { nodeEphemeralMiB } from '../../apps/synth/ephemeral-capacity.js';

const [name, firstPort] = process.argv.slice(2);
const env = (await loadEnvironments()).find((e) => e.name === name);
if (!env || !firstPort) {
  console.error('usage: node-specs.ts <environment> <first kubelet port> (environments: apps/environments/)');
  process.exit(2);
}

const nodes = env.config.cluster.pools.flatMap((pool) => {
  const plan = LINODE_PLANS[pool.type]!;
  const free = allocatable(plan);
  return Array.from({ length: pool.max }, (_, i) => ({
    name: `${pool.name}-${i + 1}`,
    labels: {
      'kubernetes.io/hostname': `${pool.name}-${i + 1}`,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node.kubernetes.io/instance-type': pool.type,
      'topology.kubernetes.io/region': env.config.cluster.region,
    },
    cpu: `${free.cpuMillis}m`,
    memory: `${free.memoryMiB}Mi`,
    pods: '110',
    ephemeralStorage: `${nodeEphemeralMiB(env, pool.type)}Mi`,
  }));
});
console.log(JSON.stringify(nodes.map((node, i) => ({ ...node, kubeletPort: Number(firstPort) + i, podCIDR: `10.2.${i}.0/24` })), null, 1));
