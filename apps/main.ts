/**
 * `npm run synth`: validates every environment, renders all of them, and only then writes:
 *   environments/<env>/...        Kubernetes manifests Flux applies (committed)
 *   dist/helm/<env>/              a Helm chart with the same objects (not committed)
 *   generator outputs             Terraform variables, Ansible inventories (committed)
 *   docs/architecture.md, docs/cost.md   the diagram and the bill of every environment
 *   .sops.yaml                    the SOPS creation rule of every environment (its age key)
 *
 * `npx cdk8s synth` is this same command (cdk8s.yaml); it also gets dist/cdk8s/<env>.k8s.yaml.
 * Options: --out DIR (write under DIR instead of the repo, e.g. for the drift check)
 *          --environments-dir DIR (load environment files from DIR)
 * A config error prints the file, field and reason, writes nothing and exits 1.
 */
import { parseArgs } from 'node:util';
import { ConfigError, ENVIRONMENTS_DIR, REPO_ROOT } from './config/index.js';
import { loadEnvironments } from './load.js';
import { estimateCost } from '../tools/cost/estimate.js';
import { renderCostDocument } from '../tools/cost/render.js';
import { DIAGRAM_DOC_PATH, renderArchitectureDocument } from '../tools/diagram/document.js';
import { renderSopsConfig, SOPS_CONFIG_PATH } from './gitops/sops-config.js';
import { writeCdk8sOutdir } from './synth/cdk8s-outdir.js';
import { renderEnvironment } from './synth/render.js';
import { writeRendered } from './synth/write.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: REPO_ROOT },
      'environments-dir': { type: 'string', default: ENVIRONMENTS_DIR },
    },
  });
  const started = performance.now();
  const environments = await loadEnvironments(values['environments-dir']);
  if (environments.length === 0) throw new Error(`no environment files in ${values['environments-dir']}`);
  const rendered = environments.map((env) => renderEnvironment(env));
  // Documents drawn from every environment, regenerated with the manifests so they never drift.
  const documents = {
    name: 'docs',
    files: new Map([
      [DIAGRAM_DOC_PATH, renderArchitectureDocument(environments)],
      ['docs/cost.md', renderCostDocument(environments.map((e) => estimateCost(e.config)))],
      [SOPS_CONFIG_PATH, renderSopsConfig(environments)],
    ]),
    ownedDirs: [],
  };
  const summary = writeRendered(values.out, [...rendered, documents]);
  // Run by `npx cdk8s synth` (cdk8s.yaml): also the flat per-environment files the CLI lists.
  if (process.env.CDK8S_OUTDIR) writeCdk8sOutdir(process.env.CDK8S_OUTDIR, rendered);
  const ms = Math.round(performance.now() - started);
  console.log(
    `synthesized ${rendered.map((r) => r.name).join(', ')}: ${summary.written} files written, ` +
      `${summary.unchanged} unchanged (${ms} ms)`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`synth: ${error.message}\nnothing was written.`);
    } else {
      console.error('synth failed; nothing was written:', error);
    }
    process.exit(1);
  },
);
