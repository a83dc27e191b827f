/**
 * Every Kubernetes object of every environment, as synth renders it (renderEnvironment, no
 * disk), plus the committed files synth does not render (the GitOps layer's SOPS-encrypted
 * Secrets), so policy tests see exactly what Flux would apply. renderedChoices() adds each
 * environment rendered with every realtime server it does not run, validated by the same rules,
 * so each choice of `realtime.server` meets every policy before an environment picks it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, type EnvironmentConfig, type LoadedEnvironment } from '../../../apps/config/index.js';
import { loadEnvironments, validateEnvironment } from '../../../apps/load.js';
import { renderEnvironment } from '../../../apps/synth/render.js';
import { REALTIME_SERVERS, type RealtimeServer } from '../../../charts/lib/realtime-servers.js';
import type { K8sObject } from '../../../policies/manifest.js';

export interface EnvironmentObjects {
  readonly name: string;
  readonly config: EnvironmentConfig;
  readonly objects: K8sObject[];
}

function parse(content: string, path: string): K8sObject[] {
  return parseAllDocuments(content)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => {
      if (o === null) return false;
      if (typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
        if (o.kind === 'Kustomization' && o.apiVersion?.startsWith('kustomize.config.k8s.io')) return false;
        throw new Error(`${path}: a document without kind or metadata.name`);
      }
      return true;
    });
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? yamlFiles(path) : path.endsWith('.yaml') ? [path] : [];
  });
}

function renderedObjects(env: LoadedEnvironment, name = env.name): EnvironmentObjects {
  const prefix = `environments/${env.name}/`;
  const rendered = renderEnvironment(env).files;
  const objects: K8sObject[] = [];
  for (const [path, content] of rendered) {
    if (path.startsWith(prefix) && path.endsWith('.yaml')) objects.push(...parse(content, path));
  }
  for (const file of yamlFiles(join(REPO_ROOT, prefix))) {
    const path = file.slice(REPO_ROOT.length + 1);
    if (!rendered.has(path)) objects.push(...parse(readFileSync(file, 'utf8'), path));
  }
  return { name, config: env.config, objects };
}

export async function renderedEnvironments(): Promise<EnvironmentObjects[]> {
  return (await loadEnvironments()).map((env) => renderedObjects(env));
}

/** A pinned stand-in for the Sockudo image our pipeline will build (decision 0007, condition 4). */
export const SOCKUDO_TEST_IMAGE = 'ghcr.io/fmtod/sockudo:5.2.0';

/** `env` switched to `server`, through the same validation an environment file gets. */
export function withRealtimeServer(env: LoadedEnvironment, server: RealtimeServer): LoadedEnvironment {
  const images = server === 'sockudo' && !env.config.images.sockudo ? { ...env.config.images, sockudo: SOCKUDO_TEST_IMAGE } : env.config.images;
  const config = validateEnvironment({ ...env.config, images, realtime: { server } }, env.file, env.name);
  return { ...env, config };
}

/** Every environment as configured, then with each realtime server it does not run (`<env> (realtime.server=<server>)`). */
export async function renderedChoices(): Promise<EnvironmentObjects[]> {
  const environments = await loadEnvironments();
  const variants = environments.flatMap((env) =>
    (Object.keys(REALTIME_SERVERS) as RealtimeServer[])
      .filter((server) => server !== env.config.realtime.server)
      .map((server) => renderedObjects(withRealtimeServer(env, server), `${env.name} (realtime.server=${server})`)));
  return [...environments.map((env) => renderedObjects(env)), ...variants];
}

export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} among ${objects.length} objects`);
  return o;
}
