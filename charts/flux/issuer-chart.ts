/**
 * Let's Encrypt via DNS-01. HTTP-01 is not an option here: the NodeBalancer sends proxy protocol,
 * which breaks cert-manager's HTTP-01 self-check on LKE. The DNS API token is a SOPS-encrypted
 * Secret in environments/<env>/secrets/infrastructure/.
 */
import { Construct } from 'constructs';
import { ClusterIssuer } from '../../imports/cert-manager.io.js';
import { CrdObject } from '../lib/crd.js';
import { PlatformChart, type Layer, type PlatformChartProps } from '../lib/platform-chart.js';
import { CERT_MANAGER_NAMESPACE } from './controllers.js';

export const CLUSTER_ISSUER = 'letsencrypt-dns01';
/** The Secret (in the cert-manager namespace) holding the Cloudflare API token. */
export const DNS_TOKEN_SECRET = { name: 'cloudflare-api-token', key: 'api-token', namespace: CERT_MANAGER_NAMESPACE } as const;

export class IssuerChart extends PlatformChart {
  readonly fileName = 'cluster-issuer.yaml';
  override readonly layer: Layer = 'infrastructure/configs';

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { ...props, namespaced: false });
    new CrdObject(this, 'issuer', ClusterIssuer, {
      metadata: { name: CLUSTER_ISSUER },
      spec: {
        acme: {
          email: props.config.edge.acmeEmail,
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          privateKeySecretRef: { name: `${CLUSTER_ISSUER}-account` },
          solvers: [
            {
              dns01: {
                cloudflare: { apiTokenSecretRef: { name: DNS_TOKEN_SECRET.name, key: DNS_TOKEN_SECRET.key } },
              },
            },
          ],
        },
      },
    });
  }
}
