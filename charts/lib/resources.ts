/** Converts the config's resources block to the Kubernetes shape. */
import * as k8s from '../../imports/k8s.js';
import type { Resources } from '../../apps/config/index.js';

export function containerResources(resources: Resources): k8s.ResourceRequirements {
  const limits: Record<string, k8s.Quantity> = { memory: k8s.Quantity.fromString(resources.limits.memory) };
  if (resources.limits.cpu) limits.cpu = k8s.Quantity.fromString(resources.limits.cpu);
  return {
    requests: {
      cpu: k8s.Quantity.fromString(resources.requests.cpu),
      memory: k8s.Quantity.fromString(resources.requests.memory),
    },
    limits,
  };
}
