/** Every non-Kubernetes generator that `npm run synth` runs for each environment. */
import { ansibleInventory } from './ansible-inventory.js';
import { terraformVarsFile } from './terraform-vars.js';
import type { Generator } from './types.js';

export const GENERATORS: readonly Generator[] = [
  ansibleInventory,
  terraformVarsFile,
];
