/**
 * Sockudo 5.2.0 (crates.io, built by tests/bench/install-sockudo.sh) started from the same
 * Soketi Deployment env as Soketi (soketiEnv in soketi-servers.ts), translated key by key by the
 * chart's own translation (charts/lib/realtime-servers.ts), so the benchmark runs Sockudo with
 * exactly the settings `realtime.server: sockudo` renders.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REALTIME_SERVERS, sockudoConfigFile, sockudoEnv } from '../../../charts/lib/realtime-servers.js';
import { httpGet, placedCommand, ServerProcess, soketiEnv, until, type SoketiOptions } from './soketi-servers.js';

const PLATFORM_CACHE = process.env.PLATFORM_CACHE ?? join(process.env.HOME ?? '/root', '.cache/marketplace-platform');
export const SOCKUDO_BINARY = join(PLATFORM_CACHE, 'bin/sockudo');

/**
 * Sockudo's working directory for a Soketi env: it holds config/config.json, for the one setting
 * env cannot carry; returns it with the translated env.
 */
export function prepareSockudo(cwd: string, soketi: Readonly<Record<string, string>>): { cwd: string; env: Record<string, string> } {
  const { env, adapterPrefix } = sockudoEnv(soketi);
  mkdirSync(join(cwd, 'config'), { recursive: true });
  writeFileSync(join(cwd, 'config/config.json'), sockudoConfigFile(adapterPrefix ?? 'sockudo'));
  return { cwd, env };
}

/** Starts Sockudo with the translated env; waits until it serves its liveness path and `/metrics`. */
export async function startSockudo(options: SoketiOptions): Promise<ServerProcess> {
  if (!existsSync(SOCKUDO_BINARY)) throw new Error(`${SOCKUDO_BINARY} missing: run bash tests/bench/install-sockudo.sh`);
  const { cwd, env } = prepareSockudo(join(options.dir, `sockudo-${options.port}`), { ...soketiEnv(options), SOKETI_HOST: '127.0.0.1', SOKETI_METRICS_HOST: '127.0.0.1' });
  const { command, cleanup } = placedCommand([SOCKUDO_BINARY], options.cpu);
  const name = `sockudo-${options.port}`;
  const logFile = join(options.dir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(command[0]!, command.slice(1), {
    cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.dir, ...env, ...options.extraEnv }, stdio: ['ignore', fd, fd], detached: true,
  });
  closeSync(fd);
  if (process.env.SOKETI_PGID_FILE && child.pid) appendFileSync(process.env.SOKETI_PGID_FILE, `${child.pid}\n`);
  const proc = new ServerProcess(name, child, logFile, cleanup);
  await until(async () => (await httpGet(options.port, REALTIME_SERVERS.sockudo.livenessPath)).status === 200, `Sockudo on ${options.port}`, proc);
  await until(async () => (await httpGet(options.metricsPort, '/metrics')).status === 200, `Sockudo metrics on ${options.metricsPort}`, proc);
  return proc;
}
