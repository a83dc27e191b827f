/**
 * The CRDs the controllers layer installs: every CustomResourceDefinition in the rendered
 * charts (crds/ folders via --include-crds, and CRD templates our values switch on), one per name.
 * Two environments or charts rendering different content for one CRD name is an error: the
 * manifests of all environments are validated against one schema set.
 */
import { stringify } from 'yaml';
import { isCrd } from '../schema/crd.js';
import type { EnvironmentCharts } from './environment-charts.js';

export interface ChartCrd {
  readonly name: string;
  /** "environment production, HelmRelease keda/keda (keda 2.18.0)" */
  readonly from: string;
  readonly yaml: string;
  readonly annotations: Readonly<Record<string, string>>;
}

export function chartCrds(environments: readonly EnvironmentCharts[]): ChartCrd[] {
  const byName = new Map<string, ChartCrd>();
  for (const env of environments) {
    for (const r of env.releases) {
      const from = `environment ${env.name}, HelmRelease ${r.namespace}/${r.release} (${r.chart} ${r.version})`;
      for (const o of r.objects) {
        if (!isCrd(o)) continue;
        const name = String(o.metadata?.name);
        // YAML 1.1 quoting, so strings stay strings for 1.1 readers too (kubectl-validate): the
        // VPA CRD's enum value "Off" written plain would read as false.
        const yaml = stringify(o, { version: '1.1', lineWidth: 0 });
        const seen = byName.get(name);
        if (seen && seen.yaml !== yaml) throw new Error(`CRD ${name}: ${seen.from} and ${from} render different definitions; validation holds one per name`);
        if (!seen) byName.set(name, { name, from, yaml, annotations: ((o as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations) ?? {} });
      }
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Gateway API CRDs say which bundle and channel they are. Where a chart installs the
 * experimental channel, the standard channel of the same bundle version (Go module
 * sigs.k8s.io/gateway-api, config/crd/standard) is what the manifests are held to.
 */
export function standardChannelSources(crds: readonly ChartCrd[]): string[] {
  const sources = new Set<string>();
  for (const crd of crds) {
    const version = crd.annotations['gateway.networking.k8s.io/bundle-version'];
    if (crd.annotations['gateway.networking.k8s.io/channel'] === 'experimental' && version) {
      sources.add(`sigs.k8s.io/gateway-api@${version}/config/crd/standard`);
    }
  }
  return [...sources].sort();
}
