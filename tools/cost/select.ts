/** Picks the environments the CLI was asked for, with a clear error for an unknown name. */
import type { LoadedEnvironment } from '../../apps/config/index.js';
import { CostError } from './estimate.js';

export function selectEnvironments(loaded: readonly LoadedEnvironment[], names: readonly string[], all: boolean): LoadedEnvironment[] {
  if (all) return [...loaded];
  if (names.length === 0) throw new CostError('name an environment with --env NAME, or use --all');
  return names.map((name) => {
    const found = loaded.find((e) => e.name === name);
    if (!found) {
      throw new CostError(
        `unknown environment "${name}": no apps/environments/${name}.ts; known: ${loaded.map((e) => e.name).join(', ')}`,
      );
    }
    return found;
  });
}
