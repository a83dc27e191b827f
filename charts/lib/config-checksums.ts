/**
 * Pods roll when the configuration they read changes. Every pod template that consumes a
 * ConfigMap or a Secret (envFrom, env valueFrom, volumes, projected volumes, of any container)
 * gets one annotation per consumed object, `checksum/configmap-<name>` or
 * `checksum/secret-<name>`, holding a hash of that object's content. Kubernetes rolls a
 * Deployment/StatefulSet when its template changes, so a changed value restarts exactly its
 * consumers; `artisan optimize` in the init container then rebuilds the config cache from it.
 *
 * This runs over the rendered objects of a whole environment (apps/synth/render.ts), so a new
 * consumer is covered without anyone remembering to add an annotation.
 *
 * ConfigMaps are hashed from their rendered data. Secrets are SOPS-encrypted files committed by
 * hand (environments/<env>/secrets/); synth never sees their plaintext and must not. Their hash
 * is over the encrypted `data`/`stringData` values as committed: `sops` re-encrypts a value
 * whenever it changes (new ciphertext, new IV), so the hash changes with every edit of a value,
 * and it ignores the `sops` metadata block, so a key rotation (`sops updatekeys`) rolls nothing.
 * A Secret with no committed file yet (a new environment before `npm run secrets:scaffold`)
 * gets the value `absent`, which changes, and rolls its consumers, once the file is added.
 */
import { checksum } from './checksum.js';

export type ConsumedKind = 'configmap' | 'secret';

export interface ConsumedObject {
  readonly kind: ConsumedKind;
  readonly name: string;
}

/** The encrypted data of a committed Secret by name, or undefined when no file defines it. */
export type SecretDataReader = (name: string) => Record<string, unknown> | undefined;

export const ABSENT_SECRET = 'absent';

export function checksumAnnotation(ref: ConsumedObject): string {
  return `checksum/${ref.kind}-${ref.name}`;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- plain rendered JSON */
function podSpecs(object: any): { metadata?: any; spec: any }[] {
  if (object?.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template ? [object.spec.jobTemplate.spec.template] : [];
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(object?.kind)) return object.spec?.template ? [object.spec.template] : [];
  return [];
}

/** Every ConfigMap and Secret a pod spec reads, in a stable order, each once. */
export function consumedObjects(podSpec: any): ConsumedObject[] {
  const found = new Map<string, ConsumedObject>();
  const add = (kind: ConsumedKind, name: string | undefined) => {
    if (name) found.set(`${kind}/${name}`, { kind, name });
  };
  for (const c of [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])]) {
    for (const from of c.envFrom ?? []) {
      add('configmap', from.configMapRef?.name);
      add('secret', from.secretRef?.name);
    }
    for (const env of c.env ?? []) {
      add('configmap', env.valueFrom?.configMapKeyRef?.name);
      add('secret', env.valueFrom?.secretKeyRef?.name);
    }
  }
  for (const v of podSpec?.volumes ?? []) {
    add('configmap', v.configMap?.name);
    add('secret', v.secret?.secretName);
    for (const source of v.projected?.sources ?? []) {
      add('configmap', source.configMap?.name);
      add('secret', source.secret?.name);
    }
  }
  return [...found.values()].sort((a, b) => checksumAnnotation(a).localeCompare(checksumAnnotation(b)));
}

/**
 * Adds the checksum annotations to every pod template among `objects` (mutated in place).
 * Throws when a pod reads a ConfigMap the environment does not render: it would never start.
 */
export function annotateConfigChecksums(objects: readonly unknown[], readSecret: SecretDataReader): void {
  const configMaps = new Map<string, unknown>();
  for (const o of objects as any[]) {
    if (o?.kind === 'ConfigMap') configMaps.set(o.metadata.name, { data: o.data ?? {}, binaryData: o.binaryData ?? {} });
  }
  for (const o of objects as any[]) {
    for (const template of podSpecs(o)) {
      const annotations: Record<string, string> = {};
      for (const ref of consumedObjects(template.spec)) {
        if (ref.kind === 'configmap') {
          const content = configMaps.get(ref.name);
          if (content === undefined) {
            throw new Error(`${o.kind}/${o.metadata.name} reads ConfigMap "${ref.name}", which this environment does not render`);
          }
          annotations[checksumAnnotation(ref)] = checksum(content);
        } else {
          const data = readSecret(ref.name);
          annotations[checksumAnnotation(ref)] = data === undefined ? ABSENT_SECRET : checksum(data);
        }
      }
      if (Object.keys(annotations).length === 0) continue;
      template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, ...annotations } };
    }
  }
}
