import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  convertKubernetesOpenApi,
  kubeconformFileName,
  standaloneSchema,
  type OpenApiDocument,
} from '../../tools/schema/kubernetes-openapi.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A miniature of the k8s.io/kubernetes api/openapi-spec/v3 documents. */
const spec: OpenApiDocument = {
  components: {
    schemas: {
      'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        type: 'object',
        properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } },
      },
      'io.k8s.api.apps.v1.DeploymentSpec': {
        type: 'object',
        required: ['selector'],
        properties: {
          replicas: { type: 'integer', format: 'int32' },
          maxSurge: { allOf: [ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString')], description: 'surge' },
          cpu: ref('io.k8s.apimachinery.pkg.api.resource.Quantity'),
          selector: { type: 'object', properties: { app: { type: 'string' } } },
        },
      },
      'io.k8s.api.apps.v1.Deployment': {
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { allOf: [ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')], default: {} },
          spec: { allOf: [ref('io.k8s.api.apps.v1.DeploymentSpec')], default: {} },
        },
        'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
      },
      'io.k8s.api.apps.v1.DeploymentList': {
        type: 'object',
        properties: { items: { type: 'array', items: ref('io.k8s.api.apps.v1.Deployment') } },
        'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'DeploymentList', version: 'v1' }],
      },
      'io.k8s.api.core.v1.ConfigMap': {
        type: 'object',
        properties: { data: { type: 'object', additionalProperties: { type: 'string' } } },
        'x-kubernetes-group-version-kind': [{ group: '', kind: 'ConfigMap', version: 'v1' }],
      },
      'io.k8s.apiextensions.v1.JSONSchemaProps': {
        type: 'object',
        properties: { type: { type: 'string' }, properties: { type: 'object', additionalProperties: ref('io.k8s.apiextensions.v1.JSONSchemaProps') } },
      },
      'io.k8s.apiextensions.v1.CustomResourceDefinition': {
        type: 'object',
        properties: { schema: ref('io.k8s.apiextensions.v1.JSONSchemaProps') },
        'x-kubernetes-group-version-kind': [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', version: 'v1' }],
      },
    },
  },
};

describe('kubeconformFileName', () => {
  it('uses the first label of the group, none for the core group (kubeconform KindSuffix)', () => {
    expect(kubeconformFileName({ group: 'apps', version: 'v1', kind: 'Deployment' })).toBe('deployment-apps-v1.json');
    expect(kubeconformFileName({ group: '', version: 'v1', kind: 'ConfigMap' })).toBe('configmap-v1.json');
    expect(kubeconformFileName({ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' })).toBe(
      'networkpolicy-networking-v1.json',
    );
  });
});

describe('convertKubernetesOpenApi', () => {
  it('writes one file per kind and skips list kinds on request', () => {
    expect([...convertKubernetesOpenApi([spec], { skipLists: true }).keys()].sort()).toEqual([
      'configmap-v1.json',
      'customresourcedefinition-apiextensions-v1.json',
      'deployment-apps-v1.json',
    ]);
    expect(convertKubernetesOpenApi([spec]).has('deploymentlist-apps-v1.json')).toBe(true);
  });

  it('rejects two documents that disagree about a schema', () => {
    const other = { components: { schemas: { 'io.k8s.api.core.v1.ConfigMap': { type: 'string' } } } };
    expect(() => convertKubernetesOpenApi([spec, other])).toThrow('schema io.k8s.api.core.v1.ConfigMap differs');
  });

  it('names the chain of a reference that cannot be resolved', () => {
    const broken = { components: { schemas: { A: { properties: { b: ref('Missing') } }, } } };
    expect(() => standaloneSchema('A', new Map(Object.entries(broken.components.schemas)))).toThrow('A: $ref to unknown schema Missing');
  });
});

describe('standaloneSchema', () => {
  const schemas = new Map(Object.entries(spec.components!.schemas!));

  it('inlines references (keeping the siblings of an allOf wrapper) and is strict', () => {
    const deployment = standaloneSchema('io.k8s.api.apps.v1.Deployment', schemas);
    expect(JSON.stringify(deployment)).not.toContain('$ref');
    expect(deployment).toMatchObject({
      additionalProperties: false,
      properties: {
        spec: {
          additionalProperties: false,
          default: {},
          properties: {
            maxSurge: { description: 'surge', oneOf: [{ type: 'string' }, { type: 'integer' }] },
            cpu: { oneOf: [{ type: 'string' }, { type: 'number' }] },
          },
        },
      },
    });
  });

  it('turns a self-reference into a local definition', () => {
    const crd = standaloneSchema('io.k8s.apiextensions.v1.CustomResourceDefinition', schemas);
    expect(crd.definitions).toHaveProperty(['io.k8s.apiextensions.v1.JSONSchemaProps']);
    expect(JSON.stringify(crd)).toContain('"$ref":"#/definitions/io.k8s.apiextensions.v1.JSONSchemaProps"');
  });

  it('validates what the API server accepts and rejects unknown fields, at any depth', () => {
    const validate = new Ajv({ strict: false, logger: false }).compile(standaloneSchema('io.k8s.api.apps.v1.Deployment', schemas));
    const good = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, replicas: 2, maxSurge: '25%', cpu: 1 } };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, spec: { ...good.spec, maxSurge: 1, cpu: '250m' } })).toBe(true);
    expect(validate({ ...good, spec: { ...good.spec, replica: 2 } })).toBe(false);
    expect(validate({ ...good, spec: { ...good.spec, selector: { app: 'web', tier: 'x' } } })).toBe(false);
    expect(validate({ ...good, metadata: { name: 'web', nmae: 'typo' } })).toBe(false);
    expect(validate({ ...good, spec: { ...good.spec, replicas: 'two' } })).toBe(false);
    expect(validate({ ...good, spec: { replicas: 2 } })).toBe(false);
  });
});
