/**
 * The Flux entry point of an environment (environments/<env>/layers.yaml, next to the
 * flux-system/ folder that `flux bootstrap --path environments/<env>` commits): one Flux
 * Kustomization per layer, chained with dependsOn.
 *
 * Settings, deliberately: `wait` so a layer is only Ready when everything in it is healthy (the
 * next layer waits for that); `prune` so objects deleted from git are deleted from the cluster
 * (stateful objects opt out with the kustomize.toolkit.fluxcd.io/prune: disabled annotation);
 * `retryInterval` 1m so a transient failure heals quickly while `interval` 10m corrects drift;
 * `timeout` per layer sized to its slowest rollout (controllers pull images and CRDs).
 */
import { Construct } from 'constructs';
import { PlatformChart, type Layer, type PlatformChartProps } from '../lib/platform-chart.js';
import { FluxKustomization } from './flux-types.js';
import { LAYERS } from './layers.js';

export class LayersChart extends PlatformChart {
  readonly fileName = 'layers.yaml';
  override readonly layer: Layer = '.';

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { ...props, namespaced: false });
    for (const layer of LAYERS) {
      new FluxKustomization(this, layer.name, {
        name: layer.name,
        path: `environments/${props.config.name}/${layer.folder}`,
        dependsOn: layer.dependsOn,
        decrypt: layer.secretsFolder !== undefined,
        timeout: layer.timeout,
      });
    }
  }
}
