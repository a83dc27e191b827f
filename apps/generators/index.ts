/** Every non-Kubernetes generator that `npm run synth` runs for each environment. */
import { ansibleInventory } from './ansible-inventory.js';
import { terraformRoot } from './terraform-root.js';
import { terraformVarsFile } from './terraform-vars.js';
import type { Generator } from './types.js';

export const GENERATORS: readonly Generator[] = [
  ansibleInventory,
  terraformRoot,
  terraformVarsFile,
];
