import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getScaledValueFromIntOrPercent } from './intstr.js';

test('integers pass through, percentages scale', () => {
  assert.equal(getScaledValueFromIntOrPercent(3, 10, true), 3);
  assert.equal(getScaledValueFromIntOrPercent('25%', 10, true), 3);
  assert.equal(getScaledValueFromIntOrPercent('25%', 10, false), 2);
  assert.equal(getScaledValueFromIntOrPercent('100%', 7, false), 7);
});

test('errors carry upstream text', () => {
  assert.throws(() => getScaledValueFromIntOrPercent(undefined, 10, true), { message: 'nil value for IntOrString' });
  assert.throws(() => getScaledValueFromIntOrPercent('25', 10, true), {
    message: 'invalid value for IntOrString: invalid type: string is not a percentage',
  });
  assert.throws(() => getScaledValueFromIntOrPercent('abc%', 10, true), {
    message: 'invalid value for IntOrString: invalid value "abc%": strconv.Atoi: parsing "abc": invalid syntax',
  });
});
