import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flagValues, parseFlags, type FlagSpec } from './flags.js';

const specs: FlagSpec[] = [
  { name: 'tag', short: 't', repeatable: true, description: '' },
  { name: 'file', short: 'f', description: '' },
  { name: 'quiet', short: 'q', boolean: true, description: '' },
];

test('one-letter aliases and repeatable flags parse as docker build takes them', () => {
  const { values, args } = parseFlags(specs, ['build', '-t', 'a:1', '--tag=b:2', '-f', 'Dockerfile.dev', '-q', '.']);
  assert.deepEqual(flagValues(values, 'tag'), ['a:1', 'b:2']);
  assert.equal(values.get('file'), 'Dockerfile.dev');
  assert.equal(values.get('quiet'), true);
  assert.deepEqual(args, ['build', '.']);
  assert.deepEqual(parseFlags(specs, ['-x']).args, ['-x'], 'an unknown one-letter flag stays an argument');
});
