import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../errors.js';
import { decodeKubernetesProtobuf, isKubernetesProtobuf, supportedKinds } from './index.js';
import { SCHEMA_GROUPS, lookupMessage, rootMessageFor } from './registry.js';
import { formatGoDuration } from './special-types.js';

// A tiny protobuf writer, only for building test inputs.
function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Buffer.from(bytes);
}
const num = (field: number, value: number | bigint): Buffer => Buffer.concat([varint(field << 3), varint(value)]);
const bytesField = (field: number, value: Buffer): Buffer => Buffer.concat([varint((field << 3) | 2), varint(value.length), value]);
const str = (field: number, value: string): Buffer => bytesField(field, Buffer.from(value, 'utf8'));
const msg = (field: number, ...parts: Buffer[]): Buffer => bytesField(field, Buffer.concat(parts));

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), msg(1, str(1, apiVersion), str(2, kind)), bytesField(2, raw)]);
}

function statusCode(run: () => unknown): number {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof StatusError, `expected a StatusError, got ${String(error)}`);
    return error.code;
  }
  assert.fail('expected a StatusError');
}

describe('schema tables', () => {
  test('every message parses and every reference resolves', () => {
    for (const group of SCHEMA_GROUPS) {
      for (const name of Object.keys(group.messages)) {
        const schema = lookupMessage(`${group.namespace}:${name}`);
        assert.ok(schema, `${group.namespace}:${name}`);
        assert.equal(schema.byNumber.size, schema.fields.length, `duplicate field number in ${schema.name}`);
        for (const field of schema.fields) {
          if (field.type.kind === 'message') assert.ok(lookupMessage(field.type.ref), `${schema.name}.${field.jsonName} -> ${field.type.ref}`);
        }
      }
    }
  });

  test('every listed kind has a root message', () => {
    for (const { apiVersion, kind } of supportedKinds()) assert.ok(rootMessageFor(apiVersion, kind), `${apiVersion} ${kind}`);
    assert.ok(rootMessageFor('apps/v1', 'DeleteOptions'), 'DeleteOptions arrives under any group version');
  });
});

describe('isKubernetesProtobuf', () => {
  test('matches the media type with or without parameters', () => {
    assert.equal(isKubernetesProtobuf('application/vnd.kubernetes.protobuf'), true);
    assert.equal(isKubernetesProtobuf('Application/VND.Kubernetes.Protobuf; charset=binary'), true);
    assert.equal(isKubernetesProtobuf('application/json'), false);
    assert.equal(isKubernetesProtobuf('application/vnd.kubernetes.protobuf+json'), false);
    assert.equal(isKubernetesProtobuf(undefined), false);
  });
});

describe('decodeKubernetesProtobuf', () => {
  const meta = (...parts: Buffer[]): Buffer => msg(1, ...parts);

  test('decodes scalars, maps, bytes and omits zero omitempty fields', () => {
    const secret = Buffer.concat([
      meta(str(1, 'creds'), str(3, ''), num(7, 0), msg(11, str(1, 'app'), str(2, 'web')), msg(11, str(1, '__proto__'), str(2, 'x'))),
      msg(2, str(1, 'token'), bytesField(2, Buffer.from([0, 1, 255]))),
      msg(2, str(1, 'empty')),
      str(3, 'Opaque'),
      num(5, 0), // immutable is a *bool: an explicit false is kept
    ]);
    const decoded = decodeKubernetesProtobuf(envelope('v1', 'Secret', secret));
    const labels: unknown = decoded.metadata?.labels;
    assert.deepEqual(decoded, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', creationTimestamp: null, labels: { app: 'web', ['__proto__']: 'x' } },
      data: { token: 'AAH/', empty: null },
      type: 'Opaque',
      immutable: false,
    });
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
  });

  test('decodes negative int32/int64, packed repeated numbers and skips unknown fields', () => {
    const podSecurityContext = Buffer.concat([num(2, -5n), bytesField(4, Buffer.concat([varint(0), varint(2000)])), num(4, 7), num(99, 1)]);
    const pod = Buffer.concat([meta(str(1, 'p')), msg(2, msg(14, podSecurityContext), num(5, -1), msg(2, str(1, 'c')))]);
    const decoded = decodeKubernetesProtobuf(envelope('v1', 'Pod', pod));
    assert.deepEqual(decoded.spec, {
      containers: [{ name: 'c', resources: {} }],
      activeDeadlineSeconds: -1,
      securityContext: { runAsUser: -5, supplementalGroups: [0, 2000, 7] },
    });
  });

  test('decodes Time, MicroTime, IntOrString, Quantity, Duration and raw JSON', () => {
    const time = msg(8, num(1, 1704067200), num(2, 999));
    const managedFields = msg(17, str(1, 'kubectl'), msg(4, num(1, 1704067200)), msg(7, bytesField(1, Buffer.from('{"f:metadata":{}}'))));
    const lease = Buffer.concat([meta(str(1, 'l'), time, managedFields), msg(2, str(1, 'me'), msg(4, num(1, 1704067200), num(2, 123456789)), num(5, 0))]);
    assert.deepEqual(decodeKubernetesProtobuf(envelope('coordination.k8s.io/v1', 'Lease', lease)), {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', creationTimestamp: '2024-01-01T00:00:00Z', managedFields: [{ manager: 'kubectl', time: '2024-01-01T00:00:00Z', fieldsV1: { 'f:metadata': {} } }] },
      spec: { holderIdentity: 'me', renewTime: '2024-01-01T00:00:00.123456Z', leaseTransitions: 0 },
    });

    const pdbSpec = msg(2, msg(1, num(1, 1), str(3, '50%')), msg(3, num(2, 0)));
    const pdb = decodeKubernetesProtobuf(envelope('policy/v1', 'PodDisruptionBudget', Buffer.concat([meta(), pdbSpec])));
    assert.deepEqual(pdb.spec, { minAvailable: '50%', maxUnavailable: 0 });

    const quota = Buffer.concat([meta(), msg(2, msg(1, str(1, 'cpu'), msg(2, str(1, '500m'))), msg(1, str(1, 'pods'), msg(2)))]);
    assert.deepEqual(decodeKubernetesProtobuf(envelope('v1', 'ResourceQuota', quota)).spec, { hard: { cpu: '500m', pods: '0' } });
  });

  test('formats durations like Go', () => {
    assert.equal(formatGoDuration(0n), '0s');
    assert.equal(formatGoDuration(1_500_000_000n), '1.5s');
    assert.equal(formatGoDuration(3_600_000_000_000n), '1h0m0s');
    assert.equal(formatGoDuration(90_000_000_000n), '1m30s');
    assert.equal(formatGoDuration(1_500n), '1.5µs');
    assert.equal(formatGoDuration(-2_000_000n), '-2ms');
  });

  test('a kind without a table is 415 and names JSON as the way out', () => {
    const error = (() => {
      try {
        decodeKubernetesProtobuf(envelope('apiextensions.k8s.io/v1', 'CustomResourceDefinition', Buffer.alloc(0)));
      } catch (caught) {
        return caught;
      }
    })();
    assert.ok(error instanceof StatusError);
    assert.equal(error.code, 415);
    assert.match(error.message, /CustomResourceDefinition \(apiextensions\.k8s\.io\/v1\) cannot be sent as protobuf .* to k8ts; send it as JSON/);
  });

  test('malformed bodies are 400, never crashes', () => {
    assert.equal(statusCode(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"Pod"}'))), 400);
    assert.equal(statusCode(() => decodeKubernetesProtobuf(Buffer.from('k8s'))), 400);
    assert.equal(statusCode(() => decodeKubernetesProtobuf(Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x7f])]))), 400);
    assert.equal(statusCode(() => decodeKubernetesProtobuf(envelope('v1', '', Buffer.alloc(0)))), 400);
    // metadata sent as a varint instead of a message
    assert.equal(statusCode(() => decodeKubernetesProtobuf(envelope('v1', 'Pod', num(1, 5)))), 400);
    // a varint that never ends
    assert.equal(statusCode(() => decodeKubernetesProtobuf(envelope('v1', 'Pod', Buffer.alloc(12, 0xff)))), 400);
    // a time far outside what RFC 3339 can print
    assert.equal(statusCode(() => decodeKubernetesProtobuf(envelope('v1', 'Pod', meta(msg(8, num(1, 1n << 60n)))))), 400);
  });

  test('random bytes inside a valid envelope never escape as anything but a 400', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const kinds = supportedKinds();
    for (let i = 0; i < 3000; i++) {
      const { apiVersion, kind } = kinds[i % kinds.length]!;
      const raw = Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
      try {
        decodeKubernetesProtobuf(envelope(apiVersion, kind, raw));
      } catch (error) {
        assert.ok(error instanceof StatusError && error.code === 400, `${kind}: ${String(error)}`);
      }
    }
  });
});
