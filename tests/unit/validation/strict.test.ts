import { describe, expect, it } from 'vitest';
import { strictSchema } from '../../tools/schema/strict.js';

describe('strictSchema', () => {
  it('closes every object that lists properties, root included', () => {
    const out = strictSchema({
      type: 'object',
      properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } },
    });
    expect(out).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        spec: { type: 'object', additionalProperties: false, properties: { replicas: { type: 'integer' } } },
      },
    });
  });

  it('keeps an explicit additionalProperties and objects that preserve unknown fields', () => {
    const labels = { type: 'object', additionalProperties: { type: 'string' } };
    const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } };
    expect(strictSchema({ type: 'object', properties: { labels, open } })).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: { labels, open },
    });
  });

  it('turns int-or-string into oneOf string/integer (kubeconform script behaviour)', () => {
    expect(strictSchema({ properties: { port: { format: 'int-or-string', type: 'string', description: 'd' } } })).toEqual({
      additionalProperties: false,
      properties: { port: { description: 'd', oneOf: [{ type: 'string' }, { type: 'integer' }] } },
    });
    expect(strictSchema({ 'x-kubernetes-int-or-string': true })).toEqual({
      'x-kubernetes-int-or-string': true,
      oneOf: [{ type: 'string' }, { type: 'integer' }],
    });
  });

  it('leaves a CRD int-or-string that already has anyOf alone', () => {
    const schema = { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
    expect(strictSchema(schema)).toEqual(schema);
  });

  it('maps nullable to a null type', () => {
    expect(strictSchema({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'], nullable: true });
  });

  it('never treats values as schemas (a default holding a "properties" key stays as is)', () => {
    const schema = { type: 'object', default: { properties: {} }, enum: [{ properties: {} }] };
    expect(strictSchema(schema)).toEqual(schema);
  });

  it('walks items, allOf/anyOf/oneOf, additionalProperties and definitions', () => {
    const obj = { properties: { a: {} } };
    const closed = { properties: { a: {} }, additionalProperties: false };
    expect(
      strictSchema({ items: obj, allOf: [obj], anyOf: [obj], oneOf: [obj], additionalProperties: obj, definitions: { X: obj } }),
    ).toEqual({ items: closed, allOf: [closed], anyOf: [closed], oneOf: [closed], additionalProperties: closed, definitions: { X: closed } });
  });
});
