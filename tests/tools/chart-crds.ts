/**
 * CLI for .ci/install.d/20-k8s-schemas.sh: the CRDs of the pinned controller charts.
 *   tsx tests/tools/chart-crds.ts key          the inputs, one line per HelmRelease (the cache key)
 *   tsx tests/tools/chart-crds.ts write <dir>  renders every HelmRelease's chart with its values and
 *                                              writes the CRDs to <dir>, one file per CRD; prints the
 *                                              Gateway API standard-channel module sources to hold
 *                                              the manifests to (listed before the chart CRDs)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartCrds, standardChannelSources } from './charts/chart-crds.js';
import { environmentCharts, environmentReleases } from './charts/environment-charts.js';

async function main([command, dir]: string[]): Promise<void> {
  if (command === 'key') {
    for (const env of await environmentReleases()) {
      for (const r of env.releases) {
        const values = createHash('sha256').update(JSON.stringify(r.values)).digest('hex').slice(0, 12);
        console.log(`${env.name} ${r.namespace}/${r.release} ${r.chart}@${r.version} sha256:${r.archive.digest} values:${values} kube:${env.config.cluster.kubernetesVersion}`);
      }
    }
    return;
  }
  if (command === 'write' && dir) {
    const crds = chartCrds(await environmentCharts());
    if (crds.length === 0) throw new Error('the controller charts render no CustomResourceDefinition');
    mkdirSync(dir, { recursive: true });
    for (const crd of crds) writeFileSync(join(dir, `${crd.name}.yaml`), `# ${crd.from}\n${crd.yaml}`);
    for (const source of standardChannelSources(crds)) console.log(source);
    console.error(`chart-crds: ${crds.length} CRDs written to ${dir}`);
    return;
  }
  throw new Error('usage: chart-crds.ts key | write <dir>');
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(`chart-crds: ${(error as Error).message}`);
  process.exit(1);
}
