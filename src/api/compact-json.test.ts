import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMember, skipValue, withoutMember } from './compact-json.js';

test('skipValue steps over strings with escapes, numbers, literals, and nested objects and arrays', () => {
  const text = JSON.stringify({ s: 'a "quoted" \\ back\\"slash', n: -1.5e3, t: true, z: null, o: { a: [1, { b: '}]' }] } });
  const values = ['"a \\"quoted\\" \\\\ back\\\\\\"slash"', '-1500', 'true', 'null', '{"a":[1,{"b":"}]"}]}'];
  let at = 0;
  for (const value of values) {
    at = text.indexOf(':', at) + 1;
    assert.equal(text.slice(at, skipValue(text, at)), value);
    at = skipValue(text, at);
  }
  assert.equal(skipValue('{"a":"open', 0), -1);
});

test('findMember finds only members of the object it starts at, in compact JSON', () => {
  const text = JSON.stringify({ spec: { name: 'inner' }, name: 'outer', 'na"me': 1 });
  const outer = findMember(text, 0, 'name')!;
  assert.equal(text.slice(outer.valueStart, skipValue(text, outer.valueStart)), '"outer"');
  assert.equal(text.slice(outer.keyStart, outer.valueStart), '"name":');
  const spec = findMember(text, 0, 'spec')!;
  assert.equal(findMember(text, spec.valueStart, 'name')?.valueStart, text.indexOf('"inner"'));
  assert.equal(findMember(text, 0, 'missing'), undefined);
  assert.equal(findMember(JSON.stringify({ a: 1, name: 2 }, null, 1), 0, 'name'), undefined, 'not compact: not found');
  assert.equal(findMember('[1]', 0, 'name'), undefined);
});

test('withoutMember removes the member and one comma wherever it stands', () => {
  const cases: Record<string, unknown>[] = [{ x: [1, 2], a: 1 }, { a: 1, x: { b: 2 }, c: 3 }, { a: 1, x: 'y' }, { x: null }];
  for (const object of cases) {
    const { x: _x, ...rest } = object;
    assert.equal(withoutMember(JSON.stringify(object), 0, 'x'), JSON.stringify(rest));
  }
  assert.equal(withoutMember('{"a":1}', 0, 'x'), undefined);
});
