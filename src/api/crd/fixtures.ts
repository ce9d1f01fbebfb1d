// Realistic CRD schemas shared by the tests (the CronTab example from the Kubernetes docs,
// extended with the constructs pruning, defaulting and validation must handle).
import type { JSONSchemaProps } from './schema.js';

export const cronTabSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['cronSpec', 'image'],
      properties: {
        cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
        image: { type: 'string', minLength: 1, maxLength: 64 },
        replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
        color: { type: 'string', enum: ['red', 'blue'] },
        ratio: { type: 'number', minimum: 0, maximum: 1, exclusiveMaximum: true },
        suspend: { type: 'boolean', default: false },
        schedule: { type: 'string', format: 'date-time' },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port'],
          items: {
            type: 'object',
            required: ['port'],
            properties: { port: { type: 'integer', format: 'int32' }, protocol: { type: 'string', default: 'TCP' } },
          },
        },
        labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 5 }, maxProperties: 2 },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        extra: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { strict: { type: 'object', properties: { keep: { type: 'string' } } } },
        },
      },
      'x-kubernetes-validations': [{ rule: 'self.replicas <= 10', message: 'too many' }],
    },
    status: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        conditions: {
          type: 'array',
          items: {
            type: 'object',
            properties: { type: { type: 'string' }, status: { type: 'string' }, lastTransitionTime: { type: 'string', format: 'date-time' } },
          },
        },
      },
    },
  },
};

export function cronTab(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'my-new-cron-object', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { cronSpec: '* * * * */5', image: 'my-awesome-cron-image', ...spec },
    ...extra,
  };
}
