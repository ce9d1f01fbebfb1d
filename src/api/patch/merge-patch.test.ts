import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, applyMergePatchToObject } from './merge-patch.js';

describe('applyMergePatch (RFC 7386)', () => {
  it('merges objects, deletes on null and replaces lists', () => {
    const doc = { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { ports: [1, 2], replicas: 1 } };
    const out = applyMergePatch(doc, { metadata: { labels: { tier: null, env: 'prod' } }, spec: { ports: [3] } });
    assert.deepEqual(out, { metadata: { labels: { app: 'web', env: 'prod' } }, spec: { ports: [3], replicas: 1 } });
    assert.deepEqual(doc.metadata.labels, { app: 'web', tier: 'front' }, 'input is not mutated');
  });

  it('follows the RFC 7386 appendix examples', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [['a', 'b'], ['c', 'd'], ['c', 'd']],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ a: 'foo' }, 'bar', 'bar'],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [doc, patch, want] of cases) assert.deepEqual(applyMergePatch(doc, patch), want, JSON.stringify({ doc, patch }));
  });

  it('is what kubectl label / annotate send', () => {
    const pod = { metadata: { name: 'p', labels: { app: 'web' }, annotations: { note: 'x' } } };
    assert.deepEqual(applyMergePatch(pod, { metadata: { labels: { env: 'prod' } } }), {
      metadata: { name: 'p', labels: { app: 'web', env: 'prod' }, annotations: { note: 'x' } },
    });
    assert.deepEqual(applyMergePatch(pod, { metadata: { annotations: { note: null } } }), { metadata: { name: 'p', labels: { app: 'web' }, annotations: {} } });
  });
});

describe('applyMergePatchToObject', () => {
  it('rejects null and non-object bodies as upstream does', () => {
    assert.throws(() => applyMergePatchToObject({}, null), { code: 400, message: 'Invalid JSON Patch' });
    assert.throws(() => applyMergePatchToObject({}, [1]), {
      code: 400,
      message: 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}',
    });
    assert.deepEqual(applyMergePatchToObject({ a: 1 }, { b: 2 }), { a: 1, b: 2 });
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 20000; i++) deep = { a: deep };
    assert.throws(() => applyMergePatch({}, deep), { code: 400, message: 'the patch nests deeper than 1000 levels' });
  });
});
