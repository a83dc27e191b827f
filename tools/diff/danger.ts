/**
 * Danger flags: changes a reviewer must not miss because the deploy would fail, lose data or
 * weaken production. Each rule looks at one ObjectChange and says why it is dangerous.
 */
import { cpuMillis, memoryMiB } from '../../apps/config/index.js';
import type { FieldChange, Obj, ObjectChange } from './semantic-diff.js';

export interface DangerFlag {
  readonly id: string;
  readonly reason: string;
  /** What to do instead, when the rule knows. */
  readonly instead?: string;
}

export interface DangerContext {
  readonly environment: string;
}

/** Fields the API server refuses to change in place: the apply fails (or needs a recreate). */
const IMMUTABLE: Record<string, RegExp[]> = {
  Deployment: [/^spec\.selector/],
  StatefulSet: [/^spec\.selector/, /^spec\.volumeClaimTemplates/, /^spec\.serviceName$/, /^spec\.podManagementPolicy$/],
  DaemonSet: [/^spec\.selector/],
  Job: [/^spec\.template/, /^spec\.selector/, /^spec\.completions$/],
  PersistentVolumeClaim: [/^spec\.storageClassName$/, /^spec\.accessModes/, /^spec\.volumeName$/],
  Service: [/^spec\.clusterIP$/, /^spec\.clusterIPs/],
};

/** Objects that hold data: removing them (or letting Flux prune them) can lose it. */
const STATEFUL = new Set(['StatefulSet', 'PersistentVolumeClaim', 'PersistentVolume']);

function immutableChanges(c: ObjectChange): DangerFlag[] {
  const patterns = IMMUTABLE[c.kind] ?? [];
  const hits = c.fields.filter((f) => patterns.some((p) => p.test(f.path)));
  return hits.length
    ? [{ id: c.id, reason: `immutable field changed (${[...new Set(hits.map((f) => f.path.split('[')[0]))].join(', ')}): the apply will be rejected; the object must be recreated` }]
    : [];
}

function statefulRemoval(c: ObjectChange): DangerFlag[] {
  if (c.change !== 'removed') return [];
  if (STATEFUL.has(c.kind)) return [{ id: c.id, reason: `${c.kind} removed: Flux prunes it from the cluster (data loss risk)` }];
  if (c.kind === 'Kustomization' && c.before?.spec?.prune) {
    return [{ id: c.id, reason: 'Flux Kustomization removed with prune on: everything it applied is deleted' }];
  }
  return [];
}

function pruneEnabledOnStateful(c: ObjectChange): DangerFlag[] {
  if (c.change !== 'changed' || !STATEFUL.has(c.kind)) return [];
  const key = 'metadata.annotations.kustomize.toolkit.fluxcd.io/prune';
  return c.fields.some((f) => f.path === key && f.before === 'disabled')
    ? [{ id: c.id, reason: 'prune protection removed from a stateful object' }]
    : [];
}

function lowered(f: FieldChange, parse: (v: string) => number): boolean {
  if (f.before === undefined || f.after === undefined) return false;
  const a = typeof f.before === 'number' ? f.before : parse(String(f.before));
  const b = typeof f.after === 'number' ? f.after : parse(String(f.after));
  return Number.isFinite(a) && Number.isFinite(b) && b < a;
}

function productionCapacityLowered(c: ObjectChange, ctx: DangerContext): DangerFlag[] {
  if (ctx.environment !== 'production' || c.change !== 'changed') return [];
  const reasons: string[] = [];
  for (const f of c.fields) {
    if (/(^|\.)(replicas|minReplicas|maxReplicas|minReplicaCount|maxReplicaCount)$/.test(f.path) && lowered(f, Number)) {
      reasons.push(`${f.path} lowered ${f.before} -> ${f.after}`);
    } else if (/resources\.limits\.memory$/.test(f.path) && lowered(f, memoryMiB)) {
      reasons.push(`${f.path} lowered ${f.before} -> ${f.after}`);
    } else if (/resources\.limits\.cpu$/.test(f.path) && lowered(f, cpuMillis)) {
      reasons.push(`${f.path} lowered ${f.before} -> ${f.after}`);
    }
  }
  return reasons.length ? [{ id: c.id, reason: `production capacity lowered: ${reasons.join('; ')}` }] : [];
}

function rules(policy: Obj | undefined, direction: 'ingress' | 'egress'): string[] {
  return (policy?.spec?.[direction] ?? []).map((r: unknown) => JSON.stringify(r));
}

function networkPolicyLoosened(c: ObjectChange): DangerFlag[] {
  if (c.kind !== 'NetworkPolicy') return [];
  if (c.change === 'removed') return [{ id: c.id, reason: 'NetworkPolicy removed: traffic it restricted is now allowed' }];
  if (c.change !== 'changed') return [];
  const reasons: string[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const before = new Set(rules(c.before, direction));
    const added = rules(c.after, direction).filter((r) => !before.has(r));
    if (added.length) reasons.push(`${added.length} ${direction} rule(s) added or widened`);
    const types = (o?: Obj): string[] => o?.spec?.policyTypes ?? [];
    const kind = direction === 'ingress' ? 'Ingress' : 'Egress';
    if (types(c.before).includes(kind) && !types(c.after).includes(kind)) reasons.push(`no longer restricts ${direction}`);
  }
  if (JSON.stringify(c.before?.spec?.podSelector) !== JSON.stringify(c.after?.spec?.podSelector)) {
    reasons.push('podSelector changed (check which pods lost protection)');
  }
  return reasons.length ? [{ id: c.id, reason: `NetworkPolicy loosened: ${reasons.join('; ')}` }] : [];
}

export const DANGER_RULES: ReadonlyArray<(c: ObjectChange, ctx: DangerContext) => DangerFlag[]> = [
  immutableChanges, statefulRemoval, pruneEnabledOnStateful, productionCapacityLowered, networkPolicyLoosened,
];

export function dangerFlags(changes: readonly ObjectChange[], ctx: DangerContext): DangerFlag[] {
  return changes.flatMap((c) => DANGER_RULES.flatMap((rule) => rule(c, ctx)));
}
