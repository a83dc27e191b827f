/**
 * Node disk: every container requests and limits ephemeral-storage, every emptyDir has a
 * sizeLimit, and a pod's container limits cover its disk emptyDirs (the kubelet evicts a pod
 * whose disk use passes the sum of its limits; the emptyDir's own sizeLimit should bite first).
 */
import { containers, podTemplates, ref, type Policy, type Violation } from './manifest.js';

function mib(q: unknown): number {
  const m = /^([0-9]+)(Ki|Mi|Gi)$/.exec(String(q ?? ''));
  if (!m) return NaN;
  return Number(m[1]) * ({ Ki: 1 / 1024, Mi: 1, Gi: 1024 } as Record<string, number>)[m[2]!]!;
}

export const ephemeralStoragePolicy: Policy = (objects) => {
  const out: Violation[] = [];
  for (const { owner, container } of containers(objects)) {
    const r = container.resources ?? {};
    for (const [what, q] of [['requests', r.requests?.['ephemeral-storage']], ['limits', r.limits?.['ephemeral-storage']]] as const) {
      if (q === undefined) out.push({ object: `${ref(owner)} container ${container.name}`, reason: `no resources.${what}.ephemeral-storage` });
    }
  }
  for (const { owner, template } of podTemplates(objects)) {
    const spec = template?.spec ?? {};
    let disk = 0;
    for (const v of spec.volumes ?? []) {
      if (!v.emptyDir) continue;
      if (v.emptyDir.sizeLimit === undefined) out.push({ object: ref(owner), reason: `emptyDir ${v.name} has no sizeLimit` });
      else if (v.emptyDir.medium !== 'Memory') disk += mib(v.emptyDir.sizeLimit);
    }
    const limits = (spec.containers ?? []).reduce((sum: number, c: any) => sum + (mib(c.resources?.limits?.['ephemeral-storage']) || 0), 0);
    if (disk > limits) out.push({ object: ref(owner), reason: `disk emptyDirs (${disk} MiB) exceed the containers' ephemeral-storage limits (${limits} MiB)` });
  }
  return out;
};
