/** Every non-Kubernetes generator that `npm run synth` runs for each environment. */
import type { Generator } from './types.js';

export const GENERATORS: readonly Generator[] = [
];
