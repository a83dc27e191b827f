/**
 * The env a container gets, resolved from the rendered objects as the kubelet resolves it:
 * envFrom ConfigMaps/Secrets first, then `env` in order (a later entry wins). Secret values are
 * test values (`test-<secret>-<key>`, or what `secretValue` returns): synth never sees plaintext.
 */
import type { K8sObject } from '../../../policies/manifest.js';

export type SecretValue = (secret: string, key: string) => string;

export const testSecretValue: SecretValue = (secret, key) => `test-${secret}-${key}`;

export interface EnvSource {
  /** `ConfigMap <name>`, `Secret <name>` or `container env`. */
  readonly from: string;
  readonly value: string;
}

function configMapData(objects: readonly K8sObject[], name: string, who: string): Record<string, string> {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
  if (!cm) throw new Error(`${who} reads ConfigMap ${name}, which is not rendered`);
  return ((cm as { data?: Record<string, string> }).data) ?? {};
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered JSON */
export function containerEnvSources(
  objects: readonly K8sObject[],
  container: any,
  who: string,
  secretValue: SecretValue = testSecretValue,
): Map<string, EnvSource> {
  const env = new Map<string, EnvSource>();
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) {
      for (const [k, v] of Object.entries(configMapData(objects, from.configMapRef.name, who))) {
        env.set(`${from.prefix ?? ''}${k}`, { from: `ConfigMap ${from.configMapRef.name}`, value: v });
      }
    }
    if (from.secretRef) throw new Error(`${who}: envFrom secretRef is not resolvable without the Secret's key list`);
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env.set(e.name, { from: 'container env', value: String(e.value) });
    else if (e.valueFrom?.secretKeyRef) {
      const { name, key } = e.valueFrom.secretKeyRef;
      env.set(e.name, { from: `Secret ${name}`, value: secretValue(name, key) });
    } else if (e.valueFrom?.configMapKeyRef) {
      const { name, key } = e.valueFrom.configMapKeyRef;
      const data = configMapData(objects, name, who);
      if (!(key in data)) throw new Error(`${who}: ConfigMap ${name} has no key ${key}`);
      env.set(e.name, { from: `ConfigMap ${name}`, value: data[key]! });
    } else {
      throw new Error(`${who}: env ${e.name} has a source this resolver does not know (${JSON.stringify(e.valueFrom)})`);
    }
  }
  return env;
}

export function containerEnv(objects: readonly K8sObject[], container: any, who: string, secretValue?: SecretValue): Record<string, string> {
  return Object.fromEntries([...containerEnvSources(objects, container, who, secretValue)].map(([k, v]) => [k, v.value]));
}

/** Laravel containers: every container (init included) of a pod carrying the laravel role label. */
export function laravelPods(objects: readonly K8sObject[], laravelLabel: Record<string, string>) {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind))
    .filter((o) => Object.entries(laravelLabel).every(([k, v]) => o.spec?.template?.metadata?.labels?.[k] === v))
    .map((o) => ({ owner: o, spec: o.spec.template.spec }));
}

/** The containers of a Laravel pod that run the app: the PHP images (not nginx, not exporters). */
export function runsLaravel(container: any, images: { phpFpm: string; cli: string; cron: string }): boolean {
  return [images.phpFpm, images.cli, images.cron].includes(container.image);
}
