/**
 * CLI: the real servers KEDA's triggers read, for one environment on the test control plane,
 * each reachable under the in-cluster name the ScaledObjects dial (this process appends the
 * names to /etc/hosts, which must be the suite's private copy: it refuses otherwise):
 *   - Debian's redis-server with the queue instance's generated redis.conf, bound to the address
 *     and port of the Redis triggers, its password the one the TriggerAuthentication names
 *     (read from the Secret in the API server, as KEDA reads it);
 *   - one Soketi 1.6.1 with the Deployment's env (tests/integration/soketi), on its own Redis;
 *   - Debian's Prometheus at the triggers' serverAddress, scraping Soketi and KEDA's operator as
 *     the generated PodMonitors say, with the labels prometheus-operator would attach
 *     (operator-scrape-config.ts).
 * The servers keep running after it exits; their process groups go to $CONTROL_PLANE_GROUPS.
 * It writes <dir>/data-plane.json with what the test needs.
 *   tsx tests/control-plane/data-plane.ts <env> <dir> <kubeconfig> <KEDA operator metrics host:port>
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { REPO_ROOT } from '../../apps/config/index.js';
import type { K8sObject } from '../../policies/manifest.js';
import { httpGet } from '../integration/support/loopback-http.js';
import { soketiManifest, startManifestRedis, startSoketi, until, ServerProcess } from '../integration/soketi/soketi-servers.js';
import { operatorScrapeJob } from './operator-scrape-config.js';

/** Loopback addresses for the in-cluster names (127.0.2.0/24: no other suite binds there). */
const ADDRESSES = { redis: '127.0.2.10', prometheus: '127.0.2.30' };
const SOKETI = { port: 26700, metricsPort: 26701, redisPort: 26702 };
const SOKETI_REDIS_PASSWORD = 'soketi-adapter-test-password';

function objectsOf(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as K8sObject | null).filter((o): o is K8sObject => !!o?.kind);
}

function kubectlJson(kubeconfig: string, args: string[]): any {
  return JSON.parse(execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args, '-o', 'json'], { encoding: 'utf8' }));
}

function recordGroup(proc: ServerProcess): void {
  appendFileSync(process.env.CONTROL_PLANE_GROUPS!, `${proc.pid}\n`);
  proc.child.unref();
}

async function main([envName, dir, kubeconfig, kedaOperatorMetrics]: string[]): Promise<void> {
  if (!envName || !dir || !kubeconfig || !kedaOperatorMetrics) throw new Error('usage: data-plane.ts <env> <dir> <kubeconfig> <operator metrics host:port>');
  if (process.env.PRIVATE_HOSTS !== '1' || !process.env.CONTROL_PLANE_GROUPS) throw new Error('run from a suite that made /etc/hosts private (PRIVATE_HOSTS=1) and set CONTROL_PLANE_GROUPS');
  mkdirSync(dir, { recursive: true });
  const envDir = join(REPO_ROOT, 'environments', envName);
  const scaledObjects = objectsOf(join(envDir, 'apps/workloads/autoscaling.yaml')).filter((o) => o.kind === 'ScaledObject');
  const triggers = scaledObjects.flatMap((so) => so.spec.triggers as Array<Record<string, any>>);

  // Redis: the one address every Redis trigger names, with the TriggerAuthentication's password.
  const redisAddresses = [...new Set(triggers.filter((t) => t.type === 'redis').map((t) => String(t.metadata.address)))];
  if (redisAddresses.length !== 1) throw new Error(`${envName}: the Redis triggers name ${redisAddresses.length} addresses (${redisAddresses.join(', ')}); the test runs one`);
  const [redisHost, redisPort] = redisAddresses[0]!.split(':') as [string, string];
  const authName = triggers.find((t) => t.type === 'redis')!.authenticationRef?.name;
  const auth = objectsOf(join(envDir, 'apps/workloads/autoscaling.yaml')).find((o) => o.kind === 'TriggerAuthentication' && o.metadata.name === authName);
  const passwordRef = (auth?.spec.secretTargetRef ?? []).find((r: any) => r.parameter === 'password');
  if (!passwordRef) throw new Error(`${envName}: TriggerAuthentication ${authName} has no secretTargetRef for "password"`);
  const secret = kubectlJson(kubeconfig, ['-n', auth!.metadata.namespace, 'get', 'secret', passwordRef.name]);
  const password = Buffer.from(secret.data[passwordRef.key], 'base64').toString('utf8');
  const instance = redisHost.split('.')[0]!;

  // Prometheus: the one serverAddress every Prometheus trigger names.
  const promUrls = [...new Set(triggers.filter((t) => t.type === 'prometheus').map((t) => String(t.metadata.serverAddress)))];
  if (promUrls.length !== 1) throw new Error(`${envName}: the Prometheus triggers name ${promUrls.length} servers; the test runs one`);
  const promUrl = new URL(promUrls[0]!);
  const hosts = readFileSync('/etc/hosts', 'utf8');
  appendFileSync('/etc/hosts', `${hosts.endsWith('\n') ? '' : '\n'}${ADDRESSES.redis} ${redisHost}\n${ADDRESSES.prometheus} ${promUrl.hostname}\n`);

  const redis = await startManifestRedis(envName, dir, Number(redisPort), password, instance, ADDRESSES.redis);
  recordGroup(redis);

  const soketiRedis = await startManifestRedis(envName, dir, SOKETI.redisPort, SOKETI_REDIS_PASSWORD);
  recordGroup(soketiRedis);
  const app = { id: soketiManifest(envName).env.SOKETI_DEFAULT_APP_ID!, key: 'autoscaling-test-key', secret: 'autoscaling-test-secret' };
  const soketi = await startSoketi({ environment: envName, dir, port: SOKETI.port, metricsPort: SOKETI.metricsPort, redisPort: SOKETI.redisPort, redisPassword: SOKETI_REDIS_PASSWORD, app });
  recordGroup(soketi);

  // What Prometheus scrapes, with the labels prometheus-operator gives each monitor's targets.
  const monitors = objectsOf(join(envDir, 'apps/workloads/monitoring.yaml'));
  const monitor = (name: string) => {
    const found = monitors.find((o) => o.kind === 'PodMonitor' && o.metadata.name === name);
    if (!found) throw new Error(`${envName}: no PodMonitor ${name} in apps/workloads/monitoring.yaml`);
    return found;
  };
  const soketiMonitor = monitor('soketi');
  const soketiPod = kubectlJson(kubeconfig, ['-n', String(soketiMonitor.metadata.namespace), 'get', 'pods', '-l', 'app.kubernetes.io/name=soketi']).items[0];
  if (!soketiPod) throw new Error(`${envName}: no Soketi pod in the cluster to stand for`);
  const config = {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    scrape_configs: [
      operatorScrapeJob(soketiMonitor, 0, { address: `127.0.0.1:${SOKETI.metricsPort}`, pod: soketiPod.metadata.name, podLabels: soketiPod.metadata.labels, container: 'soketi' }),
      // KEDA's operator runs as a process here (its pod would be keda-operator-<hash> in keda).
      operatorScrapeJob(monitor('keda-operator'), 0, { address: kedaOperatorMetrics, pod: 'keda-operator-0', podLabels: { 'app.kubernetes.io/name': 'keda-operator' }, container: 'keda-operator' }),
    ],
  };
  const promDir = join(dir, 'prometheus');
  mkdirSync(join(promDir, 'data'), { recursive: true });
  writeFileSync(join(promDir, 'prometheus.yml'), stringify(config));
  const logFile = join(dir, 'prometheus.log');
  const fd = openSync(logFile, 'a');
  const child = spawn('prometheus', [
    `--config.file=${join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(promDir, 'data')}`,
    `--web.listen-address=${ADDRESSES.prometheus}:${promUrl.port}`, '--log.level=warn',
  ], { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const prometheus = new ServerProcess('prometheus', child, logFile);
  recordGroup(prometheus);
  await until(async () => (await httpGet(Number(promUrl.port), '/-/ready', ADDRESSES.prometheus)).status === 200, 'Prometheus', prometheus);

  writeFileSync(join(dir, 'data-plane.json'), JSON.stringify({
    redis: { host: ADDRESSES.redis, port: Number(redisPort), password, pid: redis.pid },
    soketi: { port: SOKETI.port, metricsPort: SOKETI.metricsPort, app, pod: soketiPod.metadata.name },
    prometheus: { url: `http://${ADDRESSES.prometheus}:${promUrl.port}` },
  }, null, 1));
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`data-plane: ${error.message}`);
  process.exit(1);
});
