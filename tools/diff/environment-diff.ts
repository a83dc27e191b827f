/** One environment's diff: object changes plus every danger flag, the app's own first. */
import { dangerFlags } from './danger.js';
import { laravelDangerFlags } from './laravel-danger.js';
import type { EnvironmentTree } from './load-tree.js';
import type { EnvironmentDiff } from './report.js';
import { diffObjects } from './semantic-diff.js';

export function diffEnvironment(environment: string, before: EnvironmentTree | undefined, after: EnvironmentTree | undefined): EnvironmentDiff {
  const changes = diffObjects(before?.objects ?? [], after?.objects ?? []);
  // The app's dangers first: reviewers read the top of the list.
  return { environment, changes, dangers: [...laravelDangerFlags(before, after), ...dangerFlags(changes, { environment })] };
}
