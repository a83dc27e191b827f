/**
 * `npx cdk8s synth` (cdk8s.yaml) runs `npm run synth` with CDK8S_OUTDIR set and lists the
 * `*.k8s.yaml` files it finds there. Synth writes the repo as always (environments/, generators,
 * docs) and, for the CLI, one `<env>.k8s.yaml` per environment holding every object of
 * environments/<env>/ (kustomization.yaml files and SOPS Secrets aside): the same documents, flat,
 * as cdk8s users expect to find them.
 */
import { writeFiles } from '../lib/write-files.js';
import type { RenderedEnvironment } from './render.js';

export function writeCdk8sOutdir(outdir: string, rendered: readonly RenderedEnvironment[]): void {
  const files = new Map<string, string>();
  for (const env of rendered) {
    const prefix = `environments/${env.name}/`;
    const documents = [...env.files.entries()]
      .filter(([path]) => path.startsWith(prefix) && path.endsWith('.yaml') && !path.endsWith('kustomization.yaml') && !path.includes('/secrets/'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, content]) => content.trimEnd());
    files.set(`${env.name}.k8s.yaml`, `${documents.join('\n---\n')}\n`);
  }
  writeFiles(outdir, files);
}
