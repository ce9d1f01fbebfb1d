import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
import { PatchRejectedError, genericUnprocessableMessage } from './patch-errors.js';

const deployment = () => ({
  metadata: { name: 'web', labels: { app: 'web', 'a/b': 'slash', 'x~y': 'tilde' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', args: ['a', 'b'] }] } } },
});

function rejected(fn: () => unknown, detail?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof PatchRejectedError, `expected PatchRejectedError, got ${String(err)}`);
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.message, genericUnprocessableMessage);
    assert.deepEqual(err.toStatus().details, {});
    if (detail) assert.match(err.detail, detail);
    return true;
  });
}

describe('applyJsonPatch', () => {
  it('adds, replaces and removes object members', () => {
    const doc = deployment();
    const out = applyJsonPatch(doc, [
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'remove', path: '/metadata/labels/app' },
    ]) as ReturnType<typeof deployment>;
    assert.equal(out.spec.replicas, 5);
    assert.deepEqual(out.metadata.labels, { 'a/b': 'slash', 'x~y': 'tilde', tier: 'front' });
    assert.deepEqual(doc, deployment(), 'input is not mutated');
  });

  it('decodes ~1 and ~0 in pointers', () => {
    const out = applyJsonPatch(deployment(), [
      { op: 'remove', path: '/metadata/labels/a~1b' },
      { op: 'replace', path: '/metadata/labels/x~0y', value: 'T' },
    ]) as ReturnType<typeof deployment>;
    assert.deepEqual(out.metadata.labels, { app: 'web', 'x~y': 'T' });
  });

  it('appends with "-", inserts at an index and counts negative indices from the end', () => {
    const out = applyJsonPatch(deployment(), [
      { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: 'c' },
      { op: 'add', path: '/spec/template/spec/containers/0/args/0', value: 'first' },
      { op: 'remove', path: '/spec/template/spec/containers/0/args/-1' },
    ]) as ReturnType<typeof deployment>;
    assert.deepEqual(out.spec.template.spec.containers[0]?.args, ['first', 'a', 'b']);
  });

  it('moves and copies values', () => {
    const out = applyJsonPatch({ a: { x: 1 }, b: {} }, [
      { op: 'copy', from: '/a/x', path: '/b/y' },
      { op: 'move', from: '/a', path: '/c' },
    ]);
    assert.deepEqual(out, { b: { y: 1 }, c: { x: 1 } });
  });

  it('passes a matching test and rejects a failing one with the generic 422', () => {
    assert.equal((applyJsonPatch(deployment(), [{ op: 'test', path: '/spec/replicas', value: 2 }]) as ReturnType<typeof deployment>).spec.replicas, 2);
    rejected(() => applyJsonPatch(deployment(), [{ op: 'test', path: '/spec/replicas', value: 3 }, { op: 'replace', path: '/spec/replicas', value: 9 }]), /testing value \/spec\/replicas failed/);
  });

  it('treats a missing member as equal to an expected null', () => {
    assert.ok(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/b', value: null }]));
  });

  it('rejects operations on missing paths and keys', () => {
    rejected(() => applyJsonPatch(deployment(), [{ op: 'replace', path: '/spec/missing', value: 1 }]), /missing key/);
    rejected(() => applyJsonPatch(deployment(), [{ op: 'remove', path: '/metadata/annotations/x' }]), /missing path/);
    rejected(() => applyJsonPatch(deployment(), [{ op: 'remove', path: '/metadata/labels/nope' }]), /nonexistent key/);
    rejected(() => applyJsonPatch(deployment(), [{ op: 'add', path: '/spec/template/spec/containers/5', value: {} }]), /invalid index/);
    rejected(() => applyJsonPatch(deployment(), [{ op: 'add', path: 'spec', value: 1 }]), /invalid JSON pointer/);
    rejected(() => applyJsonPatch(deployment(), [{ op: 'add', path: '', value: 1 }]));
  });

  it('rejects unknown or missing ops and missing paths', () => {
    rejected(() => applyJsonPatch({}, [{ op: 'frobnicate', path: '/a' }]), /Unexpected kind: frobnicate/);
    rejected(() => applyJsonPatch({}, [{ path: '/a', value: 1 }]), /Unexpected kind: unknown/);
    rejected(() => applyJsonPatch({}, [{ op: 'add', value: 1 }]), /missing path/);
    rejected(() => applyJsonPatch({}, [null]));
  });

  it('answers 400 for a body that is not a list of operations', () => {
    assert.throws(() => applyJsonPatch({}, { op: 'add' }), {
      code: 400,
      message: 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
    });
    assert.throws(() => applyJsonPatch({}, [1]), { code: 400, message: 'error decoding patch: json: cannot unmarshal number into Go value of type handlers.jsonPatchOp' });
    assert.throws(() => applyJsonPatch({}, [{ op: 1 }]), {
      code: 400,
      message: 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string',
    });
    assert.deepEqual(applyJsonPatch({ a: 1 }, null), { a: 1 });
  });

  it('refuses more than the maximum number of operations with 413', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'add', path: '/x', value: 1 }));
    assert.throws(() => applyJsonPatch({}, ops), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 413);
      assert.equal(err.message, `The allowed maximum operations in a JSON patch is 10000, got 10001`);
      return true;
    });
  });

  it('treats "__proto__" as an ordinary key', () => {
    const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
