import { describe, expect, it } from 'vitest';
import { crdSchemas, isCrd } from '../../tools/schema/crd.js';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'scaledobjects.keda.sh' },
  spec: {
    group: 'keda.sh',
    names: { kind: 'ScaledObject' },
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  maxReplicaCount: { type: 'integer' },
                  triggers: { type: 'array', items: { type: 'object', properties: { metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
                },
              },
            },
          },
        },
      },
      { name: 'v1alpha0', served: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
};

describe('crdSchemas', () => {
  it('recognises CRDs only', () => {
    expect(isCrd(crd)).toBe(true);
    expect(isCrd({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(false);
  });

  it('writes {group}/{kind}_{version}.json for served versions, strict from the root down', () => {
    const files = crdSchemas(crd, 'keda.yaml');
    expect([...files.keys()]).toEqual(['keda.sh/scaledobject_v1alpha1.json']);
    const schema = files.get('keda.sh/scaledobject_v1alpha1.json')!;
    expect(schema).toMatchObject({
      additionalProperties: false,
      properties: {
        spec: {
          additionalProperties: false,
          properties: { triggers: { items: { additionalProperties: false, properties: { metadata: { 'x-kubernetes-preserve-unknown-fields': true } } } } },
        },
      },
    });
    // free-form trigger metadata stays open, as the API server keeps it
    const triggers = (schema.properties as any).spec.properties.triggers;
    expect(triggers.items.properties.metadata).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('names the file and the CRD when a version has no schema', () => {
    const broken = { ...crd, spec: { ...crd.spec, versions: [{ name: 'v1' }] } };
    expect(() => crdSchemas(broken, 'x.yaml')).toThrow('x.yaml: CRD scaledobjects.keda.sh: spec.versions[0] has no name or no schema.openAPIV3Schema');
  });
});
