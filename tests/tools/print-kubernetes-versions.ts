/**
 * CLI: prints "<environment> <kubernetes minor>" per environment (cluster.kubernetesVersion),
 * the versions the schemas are generated for and the manifests validated against.
 */
import { loadEnvironments } from '../../apps/load.js';

try {
  for (const { name, config } of await loadEnvironments()) {
    console.log(`${name} ${config.cluster.kubernetesVersion}`);
  }
} catch (error) {
  console.error(`print-kubernetes-versions: ${(error as Error).message}`);
  process.exit(1);
}
