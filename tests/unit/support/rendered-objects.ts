/**
 * Every Kubernetes object of every environment, as synth renders it (renderEnvironment, no
 * disk), plus the committed files synth does not render (the GitOps layer's SOPS-encrypted
 * Secrets), so policy tests see exactly what Flux would apply.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadEnvironments, REPO_ROOT, type EnvironmentConfig } from '../../../apps/config/index.js';
import { renderEnvironment } from '../../../apps/synth/render.js';
import type { K8sObject } from '../../../charts/policies/manifest.js';

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

export async function renderedEnvironments(): Promise<EnvironmentObjects[]> {
  const environments = await loadEnvironments();
  return environments.map((env) => {
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
    return { name: env.name, config: env.config, objects };
  });
}

export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} among ${objects.length} objects`);
  return o;
}
