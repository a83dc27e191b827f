/**
 * Cross-checks Secrets: every Secret name and key a workload reads (env, envFrom, volumes, KEDA
 * TriggerAuthentication, cert-manager issuers) must exist in the environment's SOPS files, so a
 * missing secret fails CI, not the rollout. SOPS encrypts only values; names and keys stay
 * readable, so this needs no decryption key.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SecretReference {
  readonly namespace: string;
  readonly name: string;
  /** undefined: the whole Secret (envFrom) */
  readonly key?: string;
  /** Who refers to it, for the error message. */
  readonly from: string;
}

export interface ProvidedSecret {
  readonly namespace: string;
  readonly name: string;
  readonly keys: ReadonlySet<string>;
  /** The file that defines it, or the object that creates it in the cluster. */
  readonly source: string;
}

function podSpecOf(o: Obj): Obj | undefined {
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  return o.spec?.template?.spec;
}

/** Every Secret reference made by the given objects. */
export function secretReferences(objects: readonly Obj[]): SecretReference[] {
  const refs: SecretReference[] = [];
  for (const o of objects) {
    const ns = o.metadata?.namespace ?? 'default';
    const from = `${o.kind}/${o.metadata?.name}`;
    const pod = podSpecOf(o);
    if (pod) {
      for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        for (const e of c.env ?? []) {
          const r = e.valueFrom?.secretKeyRef;
          if (r) refs.push({ namespace: ns, name: r.name, key: r.key, from: `${from} container ${c.name} env ${e.name}` });
        }
        for (const e of c.envFrom ?? []) {
          if (e.secretRef) refs.push({ namespace: ns, name: e.secretRef.name, from: `${from} container ${c.name} envFrom` });
        }
      }
      for (const v of pod.volumes ?? []) {
        if (!v.secret) continue;
        const items: Obj[] = v.secret.items ?? [];
        if (items.length === 0) refs.push({ namespace: ns, name: v.secret.secretName, from: `${from} volume ${v.name}` });
        for (const item of items) refs.push({ namespace: ns, name: v.secret.secretName, key: item.key, from: `${from} volume ${v.name}` });
      }
      for (const p of pod.imagePullSecrets ?? []) refs.push({ namespace: ns, name: p.name, from: `${from} imagePullSecrets` });
    }
    if (o.kind === 'TriggerAuthentication') {
      for (const t of o.spec?.secretTargetRef ?? []) {
        refs.push({ namespace: ns, name: t.name, key: t.key, from: `${from} secretTargetRef ${t.parameter}` });
      }
    }
    if (o.kind === 'ClusterIssuer' || o.kind === 'Issuer') {
      // ClusterIssuer secrets live in cert-manager's namespace.
      const issuerNs = o.kind === 'ClusterIssuer' ? 'cert-manager' : ns;
      for (const solver of o.spec?.acme?.solvers ?? []) {
        for (const provider of Object.values(solver.dns01 ?? {}) as Obj[]) {
          for (const ref of Object.values(provider ?? {}) as Obj[]) {
            if (ref && typeof ref === 'object' && typeof ref.name === 'string' && typeof ref.key === 'string') {
              refs.push({ namespace: issuerNs, name: ref.name, key: ref.key, from });
            }
          }
        }
      }
    }
  }
  return refs;
}

/** Secrets that objects create in the cluster (cert-manager Certificates, ACME account keys). */
export function clusterCreatedSecrets(objects: readonly Obj[]): ProvidedSecret[] {
  const created: ProvidedSecret[] = [];
  for (const o of objects) {
    if (o.kind === 'Certificate') {
      created.push({ namespace: o.metadata.namespace, name: o.spec.secretName, keys: new Set(['tls.crt', 'tls.key', 'ca.crt']), source: `Certificate/${o.metadata.name}` });
    }
  }
  return created;
}

/** The Secrets in SOPS files (already parsed documents), keys from data and stringData. */
export function secretsInFiles(documents: ReadonlyArray<{ file: string; doc: Obj }>): ProvidedSecret[] {
  return documents
    .filter(({ doc }) => doc?.kind === 'Secret')
    .map(({ file, doc }) => ({
      namespace: doc.metadata?.namespace ?? 'default',
      name: doc.metadata?.name,
      keys: new Set([...Object.keys(doc.data ?? {}), ...Object.keys(doc.stringData ?? {})]),
      source: file,
    }));
}

/** One line per reference that no provided Secret satisfies. */
export function missingSecrets(refs: readonly SecretReference[], provided: readonly ProvidedSecret[]): string[] {
  const problems: string[] = [];
  for (const ref of refs) {
    const secret = provided.find((s) => s.namespace === ref.namespace && s.name === ref.name);
    if (!secret) {
      problems.push(`${ref.from}: Secret ${ref.namespace}/${ref.name} is not defined in any encrypted secrets file`);
    } else if (ref.key !== undefined && !secret.keys.has(ref.key)) {
      problems.push(`${ref.from}: key "${ref.key}" is missing from Secret ${ref.namespace}/${ref.name} (${secret.source})`);
    }
  }
  return [...new Set(problems)];
}
