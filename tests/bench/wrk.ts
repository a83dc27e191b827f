/** wrk on the load generator's CPU, and its output parsed (requests/s, latency, errors). */
import { spawn } from 'node:child_process';

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly errors: number;
  readonly errorDetail: string;
}

export function wrk(options: { cpus: string; connections: number; seconds: number; url: string; host: string }): Promise<string> {
  const child = spawn('taskset', [
    '-c', options.cpus, 'wrk', '-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '5s', '--latency',
    '-H', `Host: ${options.host}`, options.url,
  ]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk failed: ${out}`)))));
}

function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) throw new Error(`wrk: cannot read the latency ${text}`);
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
}

export function parseWrk(out: string): WrkResult {
  const pick = (re: RegExp): string => {
    const found = re.exec(out)?.[1];
    if (found === undefined) throw new Error(`no ${re} in the wrk output:\n${out}`);
    return found;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return {
    requestsPerSecond: Number(pick(/Requests\/sec:\s+([\d.]+)/)),
    p50Ms: ms(pick(/^\s*50%\s+(\S+)\s*$/m)),
    p99Ms: ms(pick(/^\s*99%\s+(\S+)\s*$/m)),
    requests: Number(pick(/(\d+) requests in/)),
    errors: non2xx + socketErrors,
    errorDetail: `non-2xx ${non2xx}, socket ${socket ? socket[0].replace('Socket errors: ', '') : 'none'}`,
  };
}
