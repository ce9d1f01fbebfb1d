import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FieldSet, fromFieldsV1, toFieldsV1 } from './field-set.js';
import { fieldElement as f, keyElement, pathToString, valueElement } from './path.js';

test('fieldsV1 orders fields, then keys, then values, and writes "." for members with children', () => {
  const set = FieldSet.of(
    [f('spec'), f('ports'), keyElement({ protocol: 'TCP', port: 80 })],
    [f('spec'), f('ports'), keyElement({ protocol: 'TCP', port: 80 }), f('port')],
    [f('metadata'), f('finalizers'), valueElement('b')],
    [f('metadata'), f('finalizers'), valueElement('a')],
    [f('metadata'), f('labels'), f('app')],
  );
  const json = toFieldsV1(set);
  assert.equal(
    JSON.stringify(json),
    '{"f:metadata":{"f:finalizers":{"v:\\"a\\"":{},"v:\\"b\\"":{}},"f:labels":{"f:app":{}}},' +
      '"f:spec":{"f:ports":{"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:port":{}}}}}',
  );
  assert.ok(fromFieldsV1(json).equals(set));
  assert.ok(fromFieldsV1(JSON.stringify(json)).equals(set));
});

test('keys written by clients in another field order decode to the same element', () => {
  const set = fromFieldsV1({ 'f:spec': { 'f:ports': { 'k:{"protocol":"TCP","port":80}': {} } } });
  assert.ok(set.has([f('spec'), f('ports'), keyElement({ port: 80, protocol: 'TCP' })]));
});

test('malformed fieldsV1 is rejected', () => {
  assert.throws(() => fromFieldsV1({ 'x:bad': {} }));
  assert.throws(() => fromFieldsV1({ 'k:notjson': {} }));
});

test('paths print as conflict messages show them', () => {
  const path = [f('spec'), f('template'), f('spec'), f('containers'), keyElement({ name: 'web' }), f('ports'), keyElement({ containerPort: 80, protocol: 'TCP' })];
  assert.equal(pathToString(path), '.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]');
  assert.equal(pathToString([f('metadata'), f('finalizers'), valueElement('x')]), '.metadata.finalizers[="x"]');
});

test('set algebra: difference is exact, recursiveDifference drops whole subtrees', () => {
  const a = FieldSet.of([f('spec')], [f('spec'), f('replicas')], [f('metadata'), f('labels'), f('a')]);
  const b = FieldSet.of([f('spec')]);
  assert.deepEqual(a.difference(b).paths(), [[f('metadata'), f('labels'), f('a')], [f('spec'), f('replicas')]]);
  assert.deepEqual(a.recursiveDifference(b).paths(), [[f('metadata'), f('labels'), f('a')]]);
  assert.deepEqual(a.intersection(FieldSet.of([f('spec'), f('replicas')])).paths(), [[f('spec'), f('replicas')]]);
});

test('compareStrings orders by code point, also across surrogate pairs and BMP characters above them', async () => {
  const { compareStrings } = await import('./path.js');
  const slow = (a: string, b: string): number => {
    const ca = [...a].map((c) => c.codePointAt(0)!);
    const cb = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! < cb[i]! ? -1 : 1;
    return Math.sign(ca.length - cb.length);
  };
  const samples = ['', 'a', 'ab', 'b', 'f:a', 'f:ab', '\uffff', '\ud83d\ude00', '\ud83d', 'a\ud83d\ude00', 'a\uffff', '\u00e9', 'z'];
  for (const a of samples) for (const b of samples) assert.equal(compareStrings(a, b), slow(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

test('without returns the set itself when nothing is shared, else the difference', () => {
  const a = FieldSet.of([f('spec'), f('replicas')], [f('metadata'), f('labels'), f('a')]);
  assert.equal(a.without(FieldSet.of([f('status'), f('phase')])), a);
  assert.deepEqual(a.without(FieldSet.of([f('spec'), f('replicas')])).paths(), [[f('metadata'), f('labels'), f('a')]]);
});

test('encoding with a previous fieldsV1 gives the same JSON whether it matches, differs or is spelled oddly', () => {
  const set = FieldSet.of([f('spec'), f('ports'), keyElement({ port: 80, protocol: 'TCP' })], [f('spec'), f('ports'), keyElement({ port: 80, protocol: 'TCP' }), f('port')], [f('metadata'), f('labels'), f('app')]);
  const expected = JSON.stringify(toFieldsV1(set));
  const previous: unknown[] = [
    toFieldsV1(set),
    { 'f:spec': { 'f:ports': { 'k:{"protocol":"TCP","port":80}': { 'f:port': {}, '.': {} } } }, 'f:metadata': { 'f:labels': { 'f:app': {} } } },
    { 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:other': {} } } },
    { 'f:metadata': 'x', 'f:spec': [] },
    '{"f:metadata":{}}',
  ];
  for (const p of previous) assert.equal(JSON.stringify(toFieldsV1(set, p)), expected);
});
