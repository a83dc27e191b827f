/**
 * Custom resources through the constructs `cdk8s import` generated from their CRDs (imports/,
 * charts/lib/crd.ts). The `@ts-expect-error` lines are the compile-time half, checked by the
 * unit suite's `tsc`: for every kind the charts build, a field the CRD does not have must fail
 * to compile (were a kind's props type lost, e.g. inferred as `object`, the directive would be
 * unused and `tsc` would fail).
 */
import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Certificate, ClusterIssuer } from '../../imports/cert-manager.io.js';
import {
  BackendTrafficPolicy, ClientTrafficPolicy, EnvoyProxy, EnvoyProxySpecProviderKubernetesEnvoyPdbMaxUnavailable, EnvoyProxySpecProviderType,
} from '../../imports/gateway.envoyproxy.io.js';
import { Gateway, GatewayClass, HttpRoute } from '../../imports/gateway.networking.k8s.io.js';
import { HelmRelease } from '../../imports/helm.toolkit.fluxcd.io.js';
import { ScaledObject, TriggerAuthentication } from '../../imports/keda.sh.js';
import { Kustomization } from '../../imports/kustomize.toolkit.fluxcd.io.js';
import { PodMonitor, PrometheusRule, ScrapeConfig } from '../../imports/monitoring.coreos.com.js';
import { HelmRepository, OciRepository } from '../../imports/source.toolkit.fluxcd.io.js';
import { VerticalPodAutoscaler } from '../../imports/autoscaling.k8s.io.js';
import { CrdObject } from '../../charts/lib/crd.js';

const chart = () => new Chart(new App(), 'test');

describe('CrdObject', () => {
  it("writes the CRD's field names and an int-or-string as its value", () => {
    const c = chart();
    new CrdObject(c, 'proxy', EnvoyProxy, {
      metadata: { name: 'edge' },
      spec: {
        provider: {
          type: EnvoyProxySpecProviderType.KUBERNETES,
          kubernetes: { envoyPdb: { maxUnavailable: EnvoyProxySpecProviderKubernetesEnvoyPdbMaxUnavailable.fromNumber(1) } },
        },
      },
    });
    expect(c.toJson()).toEqual([
      {
        apiVersion: 'gateway.envoyproxy.io/v1alpha1',
        kind: 'EnvoyProxy',
        metadata: { name: 'edge' },
        spec: { provider: { kubernetes: { envoyPDB: { maxUnavailable: 1 } }, type: 'Kubernetes' } },
      },
    ]);
  });

  it('rejects a field the CRD does not have, for every kind the charts build', () => {
    const c = chart();
    const metadata = { name: 'x' };
    // @ts-expect-error not a field of ScaledObject
    new CrdObject(c, 'a', ScaledObject, { metadata, sepc: {} });
    // @ts-expect-error not a field of TriggerAuthentication
    new CrdObject(c, 'b', TriggerAuthentication, { metadata, sepc: {} });
    // @ts-expect-error not a field of HelmRepository
    new CrdObject(c, 'c', HelmRepository, { metadata, sepc: {} });
    // @ts-expect-error not a field of OCIRepository
    new CrdObject(c, 'd', OciRepository, { metadata, sepc: {} });
    // @ts-expect-error not a field of HelmRelease
    new CrdObject(c, 'e', HelmRelease, { metadata, sepc: {} });
    // @ts-expect-error not a field of Kustomization
    new CrdObject(c, 'f', Kustomization, { metadata, sepc: {} });
    // @ts-expect-error not a field of VerticalPodAutoscaler
    new CrdObject(c, 'g', VerticalPodAutoscaler, { metadata, sepc: {} });
    // @ts-expect-error not a field of PodMonitor
    new CrdObject(c, 'h', PodMonitor, { metadata, sepc: {} });
    // @ts-expect-error not a field of PrometheusRule
    new CrdObject(c, 'i', PrometheusRule, { metadata, sepc: {} });
    // @ts-expect-error not a field of ScrapeConfig
    new CrdObject(c, 'j', ScrapeConfig, { metadata, sepc: {} });
    // @ts-expect-error not a field of ClusterIssuer
    new CrdObject(c, 'k', ClusterIssuer, { metadata, sepc: {} });
    // @ts-expect-error not a field of Certificate
    new CrdObject(c, 'l', Certificate, { metadata, sepc: {} });
    // @ts-expect-error not a field of GatewayClass
    new CrdObject(c, 'm', GatewayClass, { metadata, sepc: {} });
    // @ts-expect-error not a field of Gateway
    new CrdObject(c, 'n', Gateway, { metadata, sepc: {} });
    // @ts-expect-error not a field of HTTPRoute
    new CrdObject(c, 'o', HttpRoute, { metadata, sepc: {} });
    // @ts-expect-error not a field of EnvoyProxy
    new CrdObject(c, 'p', EnvoyProxy, { metadata, sepc: {} });
    // @ts-expect-error not a field of ClientTrafficPolicy
    new CrdObject(c, 'q', ClientTrafficPolicy, { metadata, sepc: {} });
    // @ts-expect-error not a field of BackendTrafficPolicy
    new CrdObject(c, 'r', BackendTrafficPolicy, { metadata, sepc: {} });
    // At run time the generated JSON drops what the CRD does not know: nothing reaches the manifest.
    expect(c.toJson().every((o) => !('sepc' in o))).toBe(true);
  });
});
