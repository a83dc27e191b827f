import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type LoadedEnvironment } from '../../../apps/config/index.js';
import { loadEnvironments, validateEnvironment } from '../../../apps/load.js';
import { DIAGRAM_DOC_COMMAND, environmentObjects, renderArchitectureDocument, renderEnvironmentDiagram } from '../document.js';
import { renderMermaid } from '../mermaid.js';
import { buildDiagram } from '../model.js';
import type { K8sObject } from '../../../policies/manifest.js';

let environments: LoadedEnvironment[];
let staging: LoadedEnvironment;
let stagingObjects: K8sObject[];
beforeAll(async () => {
  environments = await loadEnvironments();
  staging = environments.find((e) => e.name === 'staging')!;
  stagingObjects = environmentObjects(staging);
});

/** Staging with `edit` applied to a copy of its config, validated like a real environment file. */
function editedStaging(edit: (config: any) => void): LoadedEnvironment {
  const config = structuredClone(staging.config) as any;
  edit(config);
  return { ...staging, config: validateEnvironment(config, staging.file, staging.name) };
}

describe('docs/architecture.md', () => {
  it('equals a fresh render of every environment (regenerate with npm run diagram)', () => {
    const committed = readFileSync(join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8');
    expect(committed, `docs/architecture.md is stale: run ${DIAGRAM_DOC_COMMAND}`).toBe(renderArchitectureDocument(environments));
  });
});

describe('the diagram follows the config', () => {
  it('shows an added worker group as a node inside the Laravel pods, with its KEDA bounds', () => {
    const before = renderEnvironmentDiagram(staging);
    const after = renderEnvironmentDiagram(editedStaging((c) => {
      c.workers.push({ ...c.workers[0], name: 'reports', queues: ['reports'], replicas: { min: 1, max: 3 } });
    }));
    expect(before).not.toContain('worker_reports');
    expect(after).toContain('workload_worker_reports["Deployment worker-reports<br/>1–3 pods, KEDA: queue-reports, cpu');
    const laravelBlock = after.slice(after.indexOf('subgraph laravel'), after.indexOf('end', after.indexOf('subgraph laravel')));
    expect(laravelBlock).toContain('workload_worker_reports');
  });

  it('shows an added read replica as a VM behind mariadb-replicas, replicating from the primary', () => {
    const after = renderEnvironmentDiagram(editedStaging((c) => {
      c.database.replicas.push({ name: 'db-replica-2', privateIp: '10.10.1.12' });
    }));
    expect(after).toContain('vm_db_replica_2[("db-replica-2 (replica)<br/>10.10.1.12');
    expect(after).toContain('svc_mariadb_replicas --> vm_db_replica_2');
    expect(after).toContain('vm_db_primary -.->|"async replication"| vm_db_replica_2');
    expect(after).toContain('prometheus -.->|"scrape"| vm_db_replica_2');
  });

  it('shows the NodeBalancer count, the node pools and volume sizes of the config', () => {
    const after = renderEnvironmentDiagram(editedStaging((c) => {
      c.capacity.nodeBalancers = 2;
      c.cluster.pools.push({ name: 'sockets', type: 'g6-dedicated-4', min: 1, max: 2 });
      c.meilisearch.storageGiB = 40;
    }));
    expect(after).toContain('Linode NodeBalancer ×2');
    expect(after).toContain('pool sockets: g6-dedicated-4 ×1–2');
    expect(after).toContain('containers: meilisearch<br/>volume: data 40Gi"]');
  });
});

describe('edges come from the objects', () => {
  it('draws Soketi -> Redis only while a NetworkPolicy allows it (staging runs one merged Redis)', () => {
    const edge = 'workload_soketi -->|":6379"| svc_redis_queue';
    expect(renderMermaid(buildDiagram(staging, stagingObjects))).toContain(edge);
    const withoutPolicy = stagingObjects.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'soketi-egress'));
    expect(renderMermaid(buildDiagram(staging, withoutPolicy))).not.toContain(edge);
  });

  it('routes the websocket host to the Service its HTTPRoute names', () => {
    const routes = stagingObjects.map((o) =>
      o.kind === 'HTTPRoute' && o.metadata.name === 'websockets'
        ? { ...o, spec: { ...o.spec, rules: [{ backendRefs: [{ kind: 'Service', name: 'web', port: 80 }] }] } }
        : o,
    );
    const drawn = renderMermaid(buildDiagram(staging, routes));
    expect(drawn).toContain('route_marketplace_websockets -->|":80"| svc_web');
    expect(drawn).not.toContain('route_marketplace_websockets -->|":6001"| svc_soketi');
  });

  it('refuses an EndpointSlice address that is no database host of the config, naming the file', () => {
    const broken = stagingObjects.map((o) =>
      o.kind === 'EndpointSlice' && o.metadata.name === 'mariadb-replicas-vms'
        ? { ...o, endpoints: [{ addresses: ['10.10.1.99'] }] }
        : o,
    );
    expect(() => buildDiagram(staging, broken)).toThrow(
      'diagram: EndpointSlice mariadb-replicas-vms points at 10.10.1.99, which is no database host in apps/environments/staging.ts',
    );
  });
});

/**
 * Mermaid's own parser (the library GitHub renders with) needs a DOM for DOMPurify: jsdom gives
 * it one. Every diagram in the document must parse; a broken one must not (the check can fail).
 */
async function mermaidParser(): Promise<(text: string) => Promise<unknown>> {
  const { JSDOM } = await import('jsdom');
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const { default: mermaid } = await import('mermaid');
  mermaid.initialize({ startOnLoad: false });
  return (text) => mermaid.parse(text);
}

describe('Mermaid syntax', () => {
  it('every diagram of docs/architecture.md parses with Mermaid, and a broken one does not', async () => {
    const parse = await mermaidParser();
    const blocks = [...renderArchitectureDocument(environments).matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(environments.length);
    for (const block of blocks) await expect(parse(block)).resolves.toBeTruthy();
    await expect(parse(blocks[0]!.replace('flowchart LR', 'flowchart LR\n  broken[("unclosed"] -->'))).rejects.toThrow();
  });
});

describe('npm run diagram -- --check', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'diagram-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) =>
    spawnSync('npx', ['tsx', 'tools/diagram/cli.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

  // Each run starts tsx and renders every environment: slow on a busy 2-core machine.
  it('exits 1 on a stale file, naming it, and 0 on the committed docs/architecture.md', () => {
    const file = join(dir, 'architecture.md');
    writeFileSync(file, '# stale\n');
    const stale = cli('--check', '--file', file);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain(`${file} is stale: run \`${DIAGRAM_DOC_COMMAND}\``);
    expect(readFileSync(file, 'utf8')).toBe('# stale\n');
    const committed = cli('--check');
    expect(committed.stderr).toBe('');
    expect(committed.status).toBe(0);
  }, 300_000);
});
