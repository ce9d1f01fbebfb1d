import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERR_FORMAT_WRONG, Quantity, parseQuantity } from './quantity.js';

test('canonical serialisation matches upstream', () => {
  const cases: [string | number, string][] = [
    ['100m', '100m'], ['1Gi', '1Gi'], ['1.5G', '1500M'], ['1000', '1k'], ['1000m', '1'], ['0.5', '500m'],
    ['1.5Gi', '1536Mi'], ['2048Ki', '2Mi'], ['0.5Ki', '512'], ['1.1Ki', '1126400m'], ['1e3', '1e3'], ['12e2', '1200'],
    ['0', '0'], ['0.0', '0'], ['-1', '-1'], ['0.0000000001', '1n'], ['1024', '1024'], [1.5, '1500m'], [3, '3'],
  ];
  for (const [input, want] of cases) assert.equal(parseQuantity(input).toString(), want, `parse ${input}`);
});

test('values round away from zero like upstream', () => {
  assert.equal(parseQuantity('1m').value(), 1n);
  assert.equal(parseQuantity('1n').milliValue(), 1n);
  assert.equal(parseQuantity('-1m').value(), -1n);
  assert.equal(parseQuantity('1Gi').value(), 1073741824n);
  assert.equal(parseQuantity('250m').milliValue(), 250n);
});

test('comparison, sign and zero', () => {
  assert.equal(parseQuantity('1Gi').cmp(parseQuantity('1G')), 1);
  assert.equal(parseQuantity('1000m').cmp(parseQuantity('1')), 0);
  assert.equal(parseQuantity('-5').sign(), -1);
  assert.ok(parseQuantity('0Mi').isZero());
  assert.equal(Quantity.fromMilli(1500).toString(), '1500m');
});

test('malformed quantities throw upstream message', () => {
  for (const bad of ['', 'abc', '1.5.5', '1Gb', '--1']) {
    assert.throws(() => parseQuantity(bad), (e: Error) => e.message === ERR_FORMAT_WRONG || e.message === "unable to parse quantity's suffix", bad);
  }
  assert.throws(() => parseQuantity('abc'), { message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" });
});

test('a text parsed again gives the same quantity, and a bad one fails every time', () => {
  const first = parseQuantity('500Mi');
  assert.equal(parseQuantity('500Mi'), first, 'one immutable instance serves repeats');
  assert.equal(parseQuantity('500Mi').toString(), '500Mi');
  assert.equal(parseQuantity(1).toString(), '1');
  for (let i = 0; i < 2; i++) assert.throws(() => parseQuantity('5 Mi'), new RegExp(ERR_FORMAT_WRONG.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});
