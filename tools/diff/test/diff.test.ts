import { describe, expect, it } from 'vitest';
import { dangerFlags } from '../danger.js';
import { renderMarkdown, renderText } from '../report.js';
import { diffObjects, type Obj } from '../semantic-diff.js';

const deployment = (over: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'marketplace' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
    template: {
      spec: {
        containers: [
          { name: 'nginx', image: 'web:1', resources: { limits: { memory: '128Mi' } } },
          { name: 'php-fpm', image: 'php:1', resources: { limits: { memory: '1Gi', cpu: '1' } } },
        ],
      },
    },
    ...over,
  },
});

const statefulSet = (over: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'meilisearch', namespace: 'marketplace' },
  spec: { serviceName: 'meilisearch', volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '20Gi' } } } }], ...over },
});

const policy = (ingress: Obj[]): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'web', namespace: 'marketplace' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress },
});

const flags = (before: Obj[], after: Obj[], environment = 'production') =>
  dangerFlags(diffObjects(before, after), { environment }).map((f) => f.reason);

describe('diffObjects', () => {
  it('reports no change for identical objects', () => {
    expect(diffObjects([deployment()], [deployment()])).toEqual([]);
  });

  it('reports added, removed and changed objects with field paths by container name', () => {
    const after = deployment();
    after.spec.template.spec.containers[1].image = 'php:2';
    const changes = diffObjects([deployment(), statefulSet()], [after, policy([])]);
    expect(changes.map((c) => [c.change, c.id])).toEqual([
      ['changed', 'apps/Deployment/marketplace/web'],
      ['removed', 'apps/StatefulSet/marketplace/meilisearch'],
      ['added', 'networking.k8s.io/NetworkPolicy/marketplace/web'],
    ]);
    expect(changes[0].fields).toEqual([{ path: 'spec.template.spec.containers[php-fpm].image', before: 'php:1', after: 'php:2' }]);
  });

  it('treats an apiVersion bump as a change of the same object', () => {
    const after = { ...deployment(), apiVersion: 'apps/v2' };
    expect(diffObjects([deployment()], [after]).map((c) => c.change)).toEqual(['changed']);
  });

  it('shows Secrets only as changed keys, never values', () => {
    const secret = (data: Obj): Obj => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'm' }, stringData: data });
    const changes = diffObjects([secret({ A: 'ENC[one]', B: 'ENC[two]' })], [secret({ A: 'ENC[uno]', C: 'ENC[three]' })]);
    expect(changes[0].fields).toEqual([
      { path: 'stringData.A', before: '(secret value)', after: '(changed)' },
      { path: 'stringData.B', before: '(removed)' },
      { path: 'stringData.C', after: '(added)' },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/ENC\[/);
  });
});

describe('danger flags', () => {
  it('flags a changed Deployment selector (immutable)', () => {
    expect(flags([deployment()], [deployment({ selector: { matchLabels: { app: 'web2' } } })])[0]).toMatch(/immutable field changed \(spec\.selector/);
  });

  it('flags changed StatefulSet volumeClaimTemplates (immutable)', () => {
    const bigger = statefulSet({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '40Gi' } } } }] });
    expect(flags([statefulSet()], [bigger])[0]).toMatch(/immutable field changed \(spec\.volumeClaimTemplates/);
  });

  it('flags a changed Job template (immutable)', () => {
    const job = (image: string): Obj => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'm' }, spec: { template: { spec: { containers: [{ name: 'm', image }] } } } });
    expect(flags([job('cli:1')], [job('cli:2')])[0]).toMatch(/immutable field changed \(spec\.template/);
  });

  it('flags removal of a StatefulSet and of a PVC, and a pruning Flux Kustomization', () => {
    const pvc: Obj = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'm' }, spec: {} };
    const ks: Obj = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { prune: true } };
    expect(flags([statefulSet(), pvc, ks], [])).toEqual([
      'StatefulSet removed: Flux prunes it from the cluster (data loss risk)',
      'PersistentVolumeClaim removed: Flux prunes it from the cluster (data loss risk)',
      'Flux Kustomization removed with prune on: everything it applied is deleted',
    ]);
  });

  it('flags replicas and limits lowered in production only', () => {
    const smaller = deployment({ replicas: 2 });
    smaller.spec.template.spec.containers[1].resources.limits = { memory: '512Mi', cpu: '500m' };
    const [reason] = flags([deployment()], [smaller]);
    expect(reason).toContain('spec.replicas lowered 3 -> 2');
    expect(reason).toContain('containers[php-fpm].resources.limits.memory lowered 1Gi -> 512Mi');
    expect(reason).toContain('containers[php-fpm].resources.limits.cpu lowered 1 -> 500m');
    expect(flags([deployment()], [smaller], 'staging')).toEqual([]);
    expect(flags([deployment()], [deployment({ replicas: 5 })])).toEqual([]);
  });

  it('flags a loosened or removed NetworkPolicy, not a tightened one', () => {
    const from = { from: [{ namespaceSelector: { matchLabels: { name: 'gateway' } } }] };
    const anywhere = { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] };
    expect(flags([policy([from])], [policy([from, anywhere])])[0]).toMatch(/1 ingress rule\(s\) added or widened/);
    expect(flags([policy([from])], [])[0]).toMatch(/NetworkPolicy removed/);
    expect(flags([policy([from, anywhere])], [policy([from])])).toEqual([]);
  });
});

describe('reports', () => {
  const after = deployment({ replicas: 1 });
  after.spec.template.spec.containers[0].image = 'web:2';
  const changes = diffObjects([deployment()], [after]);
  const diffs = [{ environment: 'production', changes, dangers: dangerFlags(changes, { environment: 'production' }) }];

  it('puts danger flags, a summary and image changes first in Markdown', () => {
    const md = renderMarkdown(diffs);
    const order = ['danger flag', '| production | 0 added, 1 changed, 0 removed |', '### Image changes', '### production'].map((s) => md.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain('containers[nginx].image: web:1 -> web:2');
  });

  it('summarizes when the detail exceeds the size limit', () => {
    const limit = renderMarkdown(diffs).length - 1;
    const md = renderMarkdown(diffs, limit);
    expect(md.length).toBeLessThanOrEqual(limit);
    expect(md).toContain(`exceeds the ${limit}-character limit`);
    expect(md).not.toContain('<details>');
    expect(md).toContain('**changed** `apps/Deployment/marketplace/web`');
  });

  it('says so when nothing changed', () => {
    expect(renderMarkdown([{ environment: 'staging', changes: [], dangers: [] }])).toContain('No changes to any environment.');
  });

  it('prints text lines with + ~ - markers', () => {
    expect(renderText(diffs)).toMatch(/^DANGER production/m);
    expect(renderText(diffs)).toMatch(/^~ apps\/Deployment\/marketplace\/web$/m);
  });
});
