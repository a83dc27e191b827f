/**
 * A PR's change, rolled out by Flux on the test control plane (suite 57-flux): what the server
 * shows must be what the PR diff promised. The suite has committed the change (a release: the
 * app's four images at a new tag; web's maximum one higher; the last worker group removed) and
 * asked Flux to reconcile. Expectations come from the two synthesized trees and the diff tool's
 * own output (tools/diff), never from numbers here:
 *   - the release's migrations Job completes before the workloads roll to the new images;
 *   - every object the change removes is pruned from the server, and nothing else is;
 *   - each Laravel danger flag the diff raises is true of the server afterwards (a queue it says
 *     loses its consumer has no worker consuming it on the server).
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../policies/manifest.js';
import { diffTrees } from '../../../tools/diff/cli.js';
import { loadEnvironmentTree } from '../../../tools/diff/load-tree.js';
import { consumedQueues, laravelContainers } from '../../../tools/diff/laravel-facts.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- API objects as JSON */
const ENV = process.env.FLUX_ENV!;
const KUBECONFIG = process.env.FLUX_KUBECONFIG!;
const REVISION = process.env.FLUX_REVISION!;
const base = loadEnvironmentTree(process.env.FLUX_BASE_TREE!).get(ENV)!;
const head = loadEnvironmentTree(process.env.FLUX_HEAD_TREE!).get(ENV)!;
const diff = diffTrees(process.env.FLUX_BASE_TREE!, process.env.FLUX_HEAD_TREE!).find((d) => d.environment === ENV)!;

function kubectl(args: string[]): any {
  return JSON.parse(execFileSync('kubectl', ['--kubeconfig', KUBECONFIG, ...args, '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const id = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const time = (t: string) => new Date(t).getTime();

/** The app objects Flux manages (the app layers; no Flux, Kustomize or chart objects). */
const managed = (tree: typeof base): any[] => tree.objects.filter((o: any) => o.metadata?.namespace === 'marketplace');

beforeAll(async () => {
  // The last layer at the new revision and Ready: every layer before it reconciled it first.
  const deadline = Date.now() + 300_000;
  let status = '';
  while (Date.now() < deadline) {
    const k = kubectl(['-n', 'flux-system', 'get', 'kustomization', 'app-workloads']);
    const ready = k.status?.conditions?.find((c: any) => c.type === 'Ready');
    status = `${k.status?.lastAppliedRevision} ${ready?.status} ${ready?.message}`;
    if (String(k.status?.lastAppliedRevision).endsWith(REVISION) && ready?.status === 'True') return;
    await sleep(2000);
  }
  throw new Error(`app-workloads did not reach revision ${REVISION} and Ready within 300 s: ${status}`);
}, 320_000);

describe(`${ENV}: the PR's change as Flux rolls it out`, () => {
  it('the diff shows the change (the test is about something)', () => {
    expect(diff.changes.length).toBeGreaterThan(0);
  });

  it("the release's migrations Job completed before the workloads rolled to the new images", () => {
    const job = head.objects.find((o: any) => o.kind === 'Job')!;
    const oldJob = base.objects.find((o: any) => o.kind === 'Job')!;
    expect(job.metadata.name, 'the release renames the Job').not.toBe(oldJob.metadata.name);
    const server = kubectl(['-n', job.metadata.namespace, 'get', 'job', job.metadata.name]);
    expect(server.status.succeeded, `Job ${job.metadata.name} succeeded`).toBeGreaterThan(0);
    const completed = time(server.status.completionTime);
    for (const deployment of head.objects.filter((o: any) => o.kind === 'Deployment' && o.metadata.namespace === job.metadata.namespace)) {
      const image = deployment.spec.template.spec.containers[0].image;
      const before = base.objects.find((o: any) => o.kind === 'Deployment' && o.metadata.name === deployment.metadata.name);
      if (!before || before.spec.template.spec.containers[0].image === image) continue;
      const sets = kubectl(['-n', deployment.metadata.namespace, 'get', 'replicasets', '-l', Object.entries(deployment.spec.selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(',')]).items;
      const rolled = sets.filter((rs: any) => rs.spec.template.spec.containers[0].image === image);
      expect(rolled.length, `${deployment.metadata.name}: no ReplicaSet with ${image}`).toBeGreaterThan(0);
      for (const rs of rolled) expect(time(rs.metadata.creationTimestamp), `${deployment.metadata.name} rolled before ${job.metadata.name} completed`).toBeGreaterThanOrEqual(completed);
    }
    // The old release's Job left the tree, and Flux pruned it.
    expect(() => kubectl(['-n', oldJob.metadata.namespace, 'get', 'job', oldJob.metadata.name])).toThrow(/NotFound/);
  });

  it('every object the change removes is pruned, and every object it keeps is on the server', () => {
    const kept = new Set(managed(head).map(id));
    const removed = managed(base).filter((o: any) => !kept.has(id(o)));
    expect(removed.length, 'the change removes a worker group').toBeGreaterThan(0);
    const present = (o: any) => {
      try { kubectl(['-n', o.metadata.namespace, 'get', `${o.kind}.${(o.apiVersion.split('/').length > 1 ? o.apiVersion.split('/')[0] : '')}`.replace(/\.$/, ''), o.metadata.name]); return true; } catch { return false; }
    };
    expect(removed.filter(present).map(id), 'removed from the tree but still on the server').toEqual([]);
    expect(managed(head).filter((o: any) => !present(o)).map(id), 'in the tree but not on the server').toEqual([]);
  });

  it("the server's web maximum is the new one", () => {
    const so = head.objects.find((o: any) => o.kind === 'ScaledObject' && o.metadata.name === 'web')!;
    expect(kubectl(['-n', so.metadata.namespace, 'get', 'scaledobject', 'web']).spec.maxReplicaCount).toBe(so.spec.maxReplicaCount);
  });

  it('each Laravel danger flag of the diff is true of the server (queues left without a consumer)', () => {
    const flags = diff.dangers.filter((f) => /^queue "/.test(f.reason));
    expect(flags.length, `the diff flags the removed group's queues (flags: ${diff.dangers.map((f) => f.reason).join(' | ')})`).toBeGreaterThan(0);
    const deployments = kubectl(['-n', 'marketplace', 'get', 'deployments']).items as K8sObject[];
    const configMaps = kubectl(['-n', 'marketplace', 'get', 'configmaps']).items as K8sObject[];
    const consumed = new Set(laravelContainers([...deployments, ...configMaps]).flatMap((c) => consumedQueues(c)));
    for (const flag of flags) {
      const queue = /^queue "([^"]+)"/.exec(flag.reason)![1]!;
      expect(consumed.has(queue), `the diff says queue "${queue}" loses its consumer; the server still has one`).toBe(false);
    }
    // And every queue the diff does not flag still has a consumer on the server.
    const flagged = new Set(flags.map((f) => /^queue "([^"]+)"/.exec(f.reason)![1]!));
    const stillServed = [...new Set(laravelContainers(base.objects).flatMap((c) => consumedQueues(c)))].filter((q) => !flagged.has(q));
    expect(stillServed.filter((q) => !consumed.has(q)), 'queues the diff did not flag but the server no longer consumes').toEqual([]);
  });
});
