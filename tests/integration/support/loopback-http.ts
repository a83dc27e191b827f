/** A plain GET to a server the tests started on loopback (127.0.0.1 unless said; no agent, 5 s timeout). */
import { request } from 'node:http';

export function httpGet(port: number, path: string, host = '127.0.0.1'): Promise<{ status: number; body: string }> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`httpGet: ${host} is not a loopback address`);
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`timeout ${host}:${port}${path}`)));
    req.on('error', reject);
    req.end();
  });
}
