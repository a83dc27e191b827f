/**
 * `helm template` of a pinned chart archive with a HelmRelease's values, as helm-controller
 * would install it: release name, namespace, the cluster's Kubernetes version; `--include-crds`
 * so the CRDs of the chart's crds/ folder come out too. Returns the rendered objects.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../../policies/manifest.js';
import type { HelmReleaseInput } from './helm-releases.js';

export function renderChart(input: HelmReleaseInput, archive: string, kubeVersion: string): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'chart-values-'));
  try {
    const valuesFile = join(dir, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(input.values));
    const args = ['template', input.release, archive, '--namespace', input.namespace, '--kube-version', kubeVersion, '--include-crds', '-f', valuesFile];
    let out: string;
    try {
      out = execFileSync('helm', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`helm ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
    }
    return parseAllDocuments(out)
      .map((doc) => doc.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o !== null && typeof o === 'object' && typeof o.kind === 'string');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
