/**
 * Builders for the Flux objects this repo emits (source.toolkit.fluxcd.io/v1,
 * helm.toolkit.fluxcd.io/v2, kustomize.toolkit.fluxcd.io/v1), typed by the constructs
 * `cdk8s import` generated from Flux's own CRDs (imports/*.fluxcd.io.ts, lib/crd.ts).
 */
import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HelmRelease, HelmReleaseSpecChartRefKind, HelmReleaseSpecChartSpecSourceRefKind, HelmReleaseSpecDriftDetectionMode,
  HelmReleaseSpecInstallCrds, HelmReleaseSpecUpgradeCrds, HelmReleaseSpecUpgradeRemediationStrategy, type HelmReleaseSpecDependsOn,
} from '../../imports/helm.toolkit.fluxcd.io.js';
import {
  Kustomization, KustomizationSpecDecryptionProvider, KustomizationSpecSourceRefKind, type KustomizationProps, type KustomizationSpecDependsOn, type KustomizationSpecHealthChecks,
} from '../../imports/kustomize.toolkit.fluxcd.io.js';
import { HelmRepository, OciRepository, OciRepositorySpecLayerSelectorOperation } from '../../imports/source.toolkit.fluxcd.io.js';
import { CrdObject } from '../lib/crd.js';

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
  readonly dependsOn?: readonly HelmReleaseSpecDependsOn[];
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
      new CrdObject(this, 'source', OciRepository, {
        metadata,
        spec: {
          interval: '12h',
          url: `${props.source.url}/${props.source.chart}`,
          ref: { tag: props.source.version },
          layerSelector: {
            mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
            operation: OciRepositorySpecLayerSelectorOperation.COPY,
          },
        },
      });
    } else {
      new CrdObject(this, 'source', HelmRepository, { metadata, spec: { interval: '12h', url: props.source.url } });
    }
    const release = new CrdObject(this, 'release', HelmRelease, {
      metadata,
      spec: {
        interval: '30m',
        timeout: props.timeout ?? '10m',
        // Fields left undefined are not written (conditional spreads would skip tsc's check of
        // the field names).
        chartRef: oci ? { kind: HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name: props.name, namespace: props.namespace } : undefined,
        chart: oci
          ? undefined
          : {
              spec: {
                chart: props.source.chart,
                version: props.source.version,
                sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: props.name, namespace: props.namespace },
                interval: '12h',
              },
            },
        dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
        install: { crds: HelmReleaseSpecInstallCrds.CREATE_REPLACE, remediation: { retries: 3 } },
        upgrade: {
          crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE,
          cleanupOnFail: true,
          remediation: { retries: 3, strategy: HelmReleaseSpecUpgradeRemediationStrategy.ROLLBACK },
        },
        driftDetection: { mode: HelmReleaseSpecDriftDetectionMode.ENABLED },
        values: props.values,
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
  readonly healthChecks?: readonly KustomizationSpecHealthChecks[];
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
export class FluxKustomization extends CrdObject<KustomizationProps> {
  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id, Kustomization, {
      metadata: { name: props.name, namespace: FLUX_NAMESPACE },
      spec: {
        interval: '10m',
        retryInterval: '1m',
        timeout: props.timeout ?? '5m',
        path: `./${props.path}`,
        prune: props.prune ?? true,
        wait: props.wait ?? true,
        sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: FLUX_GIT_SOURCE },
        dependsOn: props.dependsOn?.length ? props.dependsOn.map((name): KustomizationSpecDependsOn => ({ name })) : undefined,
        healthChecks: props.healthChecks?.length ? [...props.healthChecks] : undefined,
        decryption: props.decrypt ? { provider: KustomizationSpecDecryptionProvider.SOPS, secretRef: { name: 'sops-age' } } : undefined,
      },
    });
  }
}
