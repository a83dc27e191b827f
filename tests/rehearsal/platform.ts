/**
 * What synth generated for production, read from the committed manifests (environments/production):
 * the pods' containers with their env resolved (ConfigMaps and Secret references, test secrets),
 * the ScaledObjects' Redis list names, and the names the app dials. The rehearsal starts every
 * process from these, never from constants of its own.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../apps/config/index.js';
import type { K8sObject } from '../../policies/manifest.js';
import { containerEnv, type SecretValue } from '../unit/support/container-env.js';

export const ENVIRONMENT = 'production';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? yamlFiles(p) : f.endsWith('.yaml') ? [p] : [];
  });
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered JSON */
export const objects: K8sObject[] = yamlFiles(join(REPO_ROOT, 'environments', ENVIRONMENT, 'apps'))
  .flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as K8sObject))
  .filter((o) => o && o.kind);

/** The one workload of these kinds named `name` (or starting with it, when it ends in "-"). */
export function workload(kinds: string | readonly string[], name: string): any {
  const wanted = typeof kinds === 'string' ? [kinds] : kinds;
  const found = objects.filter((o) => wanted.includes(o.kind) && (o.metadata.name === name || (name.endsWith('-') && o.metadata.name.startsWith(name))));
  if (found.length !== 1) throw new Error(`environments/${ENVIRONMENT}: expected one ${wanted.join('/')} ${name}, found ${found.length}`);
  return found[0];
}

export function container(owner: any, name: string): any {
  const spec = owner.spec.template.spec;
  const c = [...(spec.initContainers ?? []), ...spec.containers].find((x: any) => x.name === name);
  if (!c) throw new Error(`${owner.kind} ${owner.metadata.name}: no container ${name}`);
  return c;
}

export const appEnv: Record<string, string> = (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'app-env') as any).data;

/** The env a container gets, with `secrets` standing in for the SOPS-encrypted Secrets. */
export function envOf(owner: any, containerName: string, secrets: SecretValue): Record<string, string> {
  return containerEnv(objects, container(owner, containerName), `${owner.kind} ${owner.metadata.name}/${containerName}`, secrets);
}

/** The worker Deployments, each with its queues (from --queue=) and its ScaledObject's list names. */
export function workerGroups(): { name: string; owner: any; queues: string[]; listNames: string[]; grace: number }[] {
  return objects
    .filter((o) => o.kind === 'Deployment' && o.metadata.name.startsWith('worker-'))
    .map((owner: any) => {
      const command: string[] = container(owner, 'worker').command;
      const queueArg = command.find((a) => a.startsWith('--queue='));
      if (!queueArg) throw new Error(`Deployment ${owner.metadata.name}: worker has no --queue=`);
      const so: any = objects.find((o: any) => o.kind === 'ScaledObject' && o.spec.scaleTargetRef.name === owner.metadata.name);
      if (!so) throw new Error(`Deployment ${owner.metadata.name}: no ScaledObject in autoscaling.yaml`);
      return {
        name: owner.metadata.name,
        owner,
        queues: queueArg.slice('--queue='.length).split(','),
        listNames: so.spec.triggers.filter((t: any) => t.type === 'redis').map((t: any) => t.metadata.listName),
        grace: owner.spec.template.spec.terminationGracePeriodSeconds,
      };
    });
}

/** `--name=value` of a command line, as a number. */
export function flag(command: readonly string[], name: string): number {
  const arg = command.find((a) => a.startsWith(`--${name}=`));
  if (!arg) throw new Error(`no --${name}= in ${command.join(' ')}`);
  return Number(arg.slice(name.length + 3));
}
