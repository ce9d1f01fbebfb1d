import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expand } from './expansion.js';

const vars: Record<string, string> = { A: 'alpha', B: 'beta' };
const lookup = (name: string): string | undefined => vars[name];

test('$(VAR) expands to known variables and stays as written for unknown ones', () => {
  assert.equal(expand('$(A)-$(B)', lookup), 'alpha-beta');
  assert.equal(expand('x$(C)y', lookup), 'x$(C)y');
  assert.equal(expand('plain', lookup), 'plain');
});

test('$$ escapes a reference; lone and unterminated dollars are kept', () => {
  assert.equal(expand('$$(A)', lookup), '$(A)');
  assert.equal(expand('$$$(A)', lookup), '$alpha');
  assert.equal(expand('cost $5 and $', lookup), 'cost $5 and $');
  assert.equal(expand('$(A', lookup), '$(A');
  assert.equal(expand('$()', lookup), '$()');
});
