/**
 * The HelmReleases of one environment's objects, reduced to what `helm template` needs: release
 * name and namespace (as helm-controller uses them), chart name and version (from the
 * HelmRelease's chart spec or the OCIRepository its chartRef names), and the values.
 */
import type { K8sObject } from '../../../policies/manifest.js';

export interface HelmReleaseInput {
  readonly release: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly values: Record<string, unknown>;
}

export function helmReleases(objects: readonly K8sObject[], where: string): HelmReleaseInput[] {
  return objects
    .filter((o) => o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/'))
    .map((hr) => {
      const name = `${where}: HelmRelease ${hr.metadata.namespace}/${hr.metadata.name}`;
      const namespace = hr.spec?.targetNamespace ?? hr.metadata.namespace;
      const release = hr.spec?.releaseName ?? hr.metadata.name;
      if (typeof namespace !== 'string') throw new Error(`${name}: no namespace`);
      const values = (hr.spec?.values ?? {}) as Record<string, unknown>;
      const spec = hr.spec?.chart?.spec;
      if (spec) {
        if (typeof spec.chart !== 'string' || typeof spec.version !== 'string') throw new Error(`${name}: spec.chart.spec needs chart and an exact version`);
        return { release, namespace, chart: spec.chart, version: spec.version, values };
      }
      const ref = hr.spec?.chartRef;
      if (ref?.kind !== 'OCIRepository') throw new Error(`${name}: neither spec.chart.spec nor a chartRef to an OCIRepository`);
      const repoNamespace = ref.namespace ?? hr.metadata.namespace;
      const oci = objects.find((o) => o.kind === 'OCIRepository' && o.metadata.name === ref.name && o.metadata.namespace === repoNamespace);
      if (!oci) throw new Error(`${name}: chartRef names OCIRepository ${repoNamespace}/${ref.name}, which the environment does not define`);
      const url = String(oci.spec?.url ?? '');
      const tag = oci.spec?.ref?.tag;
      if (typeof tag !== 'string') throw new Error(`${name}: OCIRepository ${ref.name} has no spec.ref.tag (an exact chart version)`);
      return { release, namespace, chart: url.slice(url.lastIndexOf('/') + 1), version: tag, values };
    });
}
