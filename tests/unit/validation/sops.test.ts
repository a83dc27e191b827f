import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { withoutSopsMetadata } from '../../tools/manifests/sops.js';

const encrypted = `apiVersion: v1
kind: Secret
metadata:
    name: redis-auth
stringData:
    REDIS_PASSWORD: ENC[AES256_GCM,data:wUyNC2m5xSr+,type:str]
sops:
    age:
        - recipient: age1example
    encrypted_regex: ^(data|stringData)$
    version: 3.13.3
`;

describe('withoutSopsMetadata', () => {
  it('drops the top-level sops block and keeps everything else, values still encrypted', () => {
    const out = withoutSopsMetadata(encrypted, 'redis-auth.sops.yaml');
    expect(parseAllDocuments(out!).map((d) => d.toJS())).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'redis-auth' },
        stringData: { REDIS_PASSWORD: 'ENC[AES256_GCM,data:wUyNC2m5xSr+,type:str]' },
      },
    ]);
  });

  it('returns null for a file without SOPS metadata, so it is copied byte for byte', () => {
    expect(withoutSopsMetadata('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {sops: "a key named sops"}\n', 'a.yaml')).toBeNull();
  });

  it('handles several documents and names the file on invalid YAML', () => {
    const out = withoutSopsMetadata(`${encrypted}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n`, 'two.yaml');
    expect(parseAllDocuments(out!).map((d) => (d.toJS() as { kind: string }).kind)).toEqual(['Secret', 'Namespace']);
    expect(() => withoutSopsMetadata('a: [1,', 'bad.yaml')).toThrow('bad.yaml (document 1): invalid YAML');
  });
});
