/**
 * CLI: one HelmRelease of an environment as the control-plane suites run it. The pinned chart is
 * rendered with the HelmRelease's values (tests/tools/charts, as helm-controller would install
 * it); its controllers then run as loopback processes with the flags the chart gives them, so:
 *   <out>/objects.yaml   every rendered object but the CRDs (applied with the others before) and
 *                        the workloads, each Service named on the command line made selector-less
 *                        and given an EndpointSlice to <service>.<namespace>.svc.cluster.local
 *                        (FQDN: the API server refuses loopback IPs in endpoints; the suite's
 *                        private /etc/hosts maps the name to 127.0.0.1); the aggregator and the
 *                        webhook dispatcher route to it (--enable-aggregator-routing)
 *   <out>/<deployment>.json   {"args": [...], "env": {...}} of the Deployment's first container
 *   <out>/hosts          the /etc/hosts lines of those names
 *   tsx tests/control-plane/controller-release.ts <env> <release> <out> <service>:<port name>=<local port> ...
 * A Service or port the chart does not render is an error naming it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { K8sObject } from '../../policies/manifest.js';
import { environmentCharts } from '../tools/charts/environment-charts.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

function parseRoute(spec: string): { service: string; port: string; local: number } {
  const match = /^([a-z0-9-]+):([a-z0-9-]+)=(\d+)$/.exec(spec);
  if (!match) throw new Error(`route "${spec}": want <service>:<port name>=<local port>`);
  return { service: match[1]!, port: match[2]!, local: Number(match[3]) };
}

/** The Service without its selector, and the EndpointSlice that routes its ports to loopback. */
function loopbackService(service: K8sObject, routes: ReturnType<typeof parseRoute>[]): K8sObject[] {
  const { name, namespace } = service.metadata as { name: string; namespace: string };
  const ports = (service.spec?.ports ?? []) as Array<{ name?: string; protocol?: string }>;
  for (const route of routes) {
    if (!ports.some((p) => p.name === route.port)) throw new Error(`Service ${namespace}/${name} has no port named "${route.port}"`);
  }
  const { selector: _selector, ...spec } = service.spec as Record<string, unknown>;
  return [
    { ...service, spec },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${name}-loopback`,
        namespace,
        labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'control-plane-test' },
      },
      addressType: 'FQDN',
      endpoints: [{ addresses: [`${name}.${namespace}.svc.cluster.local`], conditions: { ready: true } }],
      ports: routes.map((r) => ({ name: r.port, port: r.local, protocol: ports.find((p) => p.name === r.port)?.protocol ?? 'TCP' })),
    } as K8sObject,
  ];
}

async function main(argv: string[]): Promise<void> {
  const [envName, releaseName, out, ...routeSpecs] = argv;
  if (!envName || !releaseName || !out) throw new Error('usage: controller-release.ts <env> <release> <out> <service>:<port name>=<local port> ...');
  const env = (await environmentCharts()).find((e) => e.name === envName);
  if (!env) throw new Error(`no environment "${envName}" in apps/environments/`);
  const release = env.releases.find((r) => r.release === releaseName);
  if (!release) throw new Error(`environment ${envName} has no HelmRelease "${releaseName}" (has: ${env.releases.map((r) => r.release).join(', ')})`);
  const routes = routeSpecs.map(parseRoute);
  const routed = new Set(routes.map((r) => r.service));
  for (const service of routed) {
    if (!release.objects.some((o) => o.kind === 'Service' && o.metadata.name === service)) {
      throw new Error(`chart ${release.chart} ${release.version} renders no Service "${service}"`);
    }
  }
  mkdirSync(out, { recursive: true });
  const objects = release.objects
    .filter((o) => o.kind !== 'CustomResourceDefinition' && !WORKLOADS.has(o.kind))
    .flatMap((o) => (o.kind === 'Service' && routed.has(o.metadata.name as string) ? loopbackService(o, routes.filter((r) => r.service === o.metadata.name)) : [o]));
  writeFileSync(join(out, 'objects.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  for (const deployment of release.objects.filter((o) => o.kind === 'Deployment')) {
    const container = deployment.spec.template.spec.containers[0];
    const env: Record<string, string> = {};
    for (const e of container.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
    writeFileSync(join(out, `${deployment.metadata.name}.json`), JSON.stringify({ args: container.args ?? [], env }, null, 1));
  }
  const namespace = release.namespace;
  writeFileSync(join(out, 'hosts'), [...routed].map((s) => `127.0.0.1 ${s}.${namespace}.svc.cluster.local ${s}.${namespace}.svc\n`).join(''));
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`controller-release: ${error.message}`);
  process.exit(1);
});
