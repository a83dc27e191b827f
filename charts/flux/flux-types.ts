/**
 * Minimal typed builders for the Flux objects this repo emits (source.toolkit.fluxcd.io/v1,
 * helm.toolkit.fluxcd.io/v2, kustomize.toolkit.fluxcd.io/v1). Only the fields we set are typed;
 * the schema validation (kubeconform + kubectl-validate with Flux's CRDs) checks the rest.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

export const FLUX_NAMESPACE = 'flux-system';
/** Name of the GitRepository `flux bootstrap` creates for this repository. */
export const FLUX_GIT_SOURCE = 'flux-system';

export interface ChartSource {
  /** HelmRepository URL (https://...) or OCI registry (oci://...). */
  readonly url: string;
  readonly chart: string;
  /** Exact chart version: upgrades are PRs that change this line. */
  readonly version: string;
}

export interface HelmReleaseProps {
  readonly name: string;
  readonly namespace: string;
  readonly source: ChartSource;
  readonly values?: Record<string, unknown>;
  /** Other HelmReleases (same namespace unless given) that must be ready first. */
  readonly dependsOn?: ReadonlyArray<{ name: string; namespace?: string }>;
  /** @default '10m' */
  readonly timeout?: string;
}

/**
 * A chart source plus a HelmRelease with install/upgrade remediation: a failed install is
 * retried, a failed upgrade rolls back to the last good release, CRDs are created and updated.
 */
export class FluxHelmRelease extends Construct {
  constructor(scope: Construct, id: string, props: HelmReleaseProps) {
    super(scope, id);
    const oci = props.source.url.startsWith('oci://');
    const metadata = { name: props.name, namespace: props.namespace };
    if (oci) {
      new ApiObject(this, 'source', {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'OCIRepository',
        metadata,
        spec: {
          interval: '12h',
          url: `${props.source.url}/${props.source.chart}`,
          ref: { tag: props.source.version },
          layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
        },
      });
    } else {
      new ApiObject(this, 'source', {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'HelmRepository',
        metadata,
        spec: { interval: '12h', url: props.source.url },
      });
    }
    const release = new ApiObject(this, 'release', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata,
      spec: {
        interval: '30m',
        timeout: props.timeout ?? '10m',
        ...(oci
          ? { chartRef: { kind: 'OCIRepository', name: props.name, namespace: props.namespace } }
          : {
              chart: {
                spec: {
                  chart: props.source.chart,
                  version: props.source.version,
                  sourceRef: { kind: 'HelmRepository', name: props.name, namespace: props.namespace },
                  interval: '12h',
                },
              },
            }),
        ...(props.dependsOn?.length
          ? { dependsOn: props.dependsOn.map((d) => ({ name: d.name, ...(d.namespace ? { namespace: d.namespace } : {}) })) }
          : {}),
        install: { crds: 'CreateReplace', remediation: { retries: 3 } },
        upgrade: {
          crds: 'CreateReplace',
          cleanupOnFail: true,
          remediation: { retries: 3, strategy: 'rollback' },
        },
        driftDetection: { mode: 'enabled' },
        ...(props.values ? { values: props.values } : {}),
      },
    });
    // A null value is how Helm deletes a chart default (e.g. a CPU limit); cdk8s drops nulls when
    // it serializes, so the values go in as given, after that step (keys sorted as cdk8s does).
    if (props.values) release.addJsonPatch(JsonPatch.replace('/spec/values', sortedKeys(props.values)));
  }
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const map = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(map).sort().filter((k) => map[k] !== undefined).map((k) => [k, sortedKeys(map[k])]));
}

export interface FluxKustomizationProps {
  readonly name: string;
  /** Repository-relative path the layer builds from. */
  readonly path: string;
  readonly dependsOn?: readonly string[];
  /** Objects whose readiness gates the next layer (besides `wait`). */
  readonly healthChecks?: ReadonlyArray<{ apiVersion: string; kind: string; name: string; namespace?: string }>;
  /** Wait for every applied object to be ready. @default true */
  readonly wait?: boolean;
  /** Delete objects removed from git. Off for layers holding data. @default true */
  readonly prune?: boolean;
  /** Decrypt SOPS files with the sops-age Secret. @default false */
  readonly decrypt?: boolean;
  /** @default '5m' */
  readonly timeout?: string;
}

/** A Flux Kustomization: one layer of the environment, reconciled from this repository. */
export class FluxKustomization extends ApiObject {
  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id, {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: props.name, namespace: FLUX_NAMESPACE },
      spec: {
        interval: '10m',
        retryInterval: '1m',
        timeout: props.timeout ?? '5m',
        path: `./${props.path}`,
        prune: props.prune ?? true,
        wait: props.wait ?? true,
        sourceRef: { kind: 'GitRepository', name: FLUX_GIT_SOURCE },
        ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((name) => ({ name })) } : {}),
        ...(props.healthChecks?.length ? { healthChecks: props.healthChecks } : {}),
        ...(props.decrypt ? { decryption: { provider: 'sops', secretRef: { name: 'sops-age' } } } : {}),
      },
    });
  }
}
