/**
 * `npm run secrets:scaffold`: creates, for every environment, the SOPS-encrypted Secret files
 * its workloads need (names and keys taken from the rendered objects), with placeholder values,
 * encrypted to the environment's age recipient in .sops.yaml. Existing files are left alone
 * unless --force (then placeholders replace them: only for the example files).
 * Real values are set with `sops environments/<env>/secrets/<layer>/<name>.sops.yaml`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../config/index.js';
import { loadEnvironments } from '../load.js';
import { renderedObjects } from '../synth/objects.js';
import { renderEnvironment } from '../synth/render.js';
import { clusterCreatedSecrets, secretReferences } from './secret-references.js';
import { SECRETS_FOLDER, SOPS_SUFFIX } from './secret-files.js';
import { writeFiles } from '../lib/write-files.js';
import { sopsEncrypt } from './sops.js';

const PLACEHOLDER = 'CHANGE_ME';

/** The secrets folder (under environments/<env>/secrets/) a namespace's Secrets belong to. */
function secretsSubfolder(namespace: string, appNamespace: string): string {
  return namespace === appNamespace ? 'apps' : 'infrastructure';
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });
  // Encrypt everything first, then write it all at once: a sops failure writes nothing.
  const written = new Map<string, string>();
  for (const env of await loadEnvironments()) {
    const objects = renderedObjects(renderEnvironment(env)).map((o) => o.object);
    const created = clusterCreatedSecrets(objects);
    const needed = new Map<string, { namespace: string; name: string; keys: Set<string> }>();
    for (const ref of secretReferences(objects)) {
      if (created.some((c) => c.namespace === ref.namespace && c.name === ref.name)) continue;
      const id = `${ref.namespace}/${ref.name}`;
      const entry = needed.get(id) ?? { namespace: ref.namespace, name: ref.name, keys: new Set<string>() };
      if (ref.key) entry.keys.add(ref.key);
      needed.set(id, entry);
    }
    const folders = new Map<string, string[]>();
    for (const secret of [...needed.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      const folder = join('environments', env.name, SECRETS_FOLDER, secretsSubfolder(secret.namespace, env.config.namespace));
      const file = `${secret.name}${SOPS_SUFFIX}`;
      folders.set(folder, [...(folders.get(folder) ?? []), file]);
      const target = join(folder, file);
      if (existsSync(join(REPO_ROOT, target)) && !values.force) continue;
      const plaintext = stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secret.name, namespace: secret.namespace },
        type: 'Opaque',
        stringData: Object.fromEntries([...secret.keys].sort().map((k) => [k, PLACEHOLDER])),
      });
      written.set(target, sopsEncrypt(plaintext, target));
      console.log(`encrypted ${target} (${secret.keys.size} keys, placeholder values)`);
    }
    for (const [folder, files] of folders) {
      written.set(join(folder, 'kustomization.yaml'),
        stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files.sort() }));
    }
  }
  const summary = writeFiles(REPO_ROOT, written);
  console.log(`wrote ${summary.written} files (${summary.unchanged} unchanged): ${[...written.keys()].join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(`secrets:scaffold: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
