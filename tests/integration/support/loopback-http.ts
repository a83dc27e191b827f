/** A plain GET to a server the tests started on 127.0.0.1 (no agent, 5 s timeout). */
import { request } from 'node:http';

export function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`timeout 127.0.0.1:${port}${path}`)));
    req.on('error', reject);
    req.end();
  });
}
