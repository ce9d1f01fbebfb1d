import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFlags } from '../cli/flags.js';
import { simNodeFlags, simOptionsFromFlags } from './flags.js';

const optionsFrom = (...argv: string[]) => simOptionsFromFlags(parseFlags(simNodeFlags, argv).values);

test('--run-pods defaults to true and is turned off only by --run-pods=false', () => {
  assert.equal(optionsFrom().runPods, true);
  assert.equal(optionsFrom('--run-pods').runPods, true);
  assert.equal(optionsFrom('--run-pods=true').runPods, true);
  assert.equal(optionsFrom('--run-pods=false', '--count', '3').runPods, false);
  assert.throws(() => optionsFrom('--run-pods=no'), /invalid argument "no" for "--run-pods" flag: must be true or false/);
});

test('--run-pods=false changes nothing else about the nodes', () => {
  const { runPods: on, ...withPods } = optionsFrom('--count', '2');
  const { runPods: off, ...withoutPods } = optionsFrom('--count', '2', '--run-pods=false');
  assert.deepEqual([on, off], [true, false]);
  assert.deepEqual(withoutPods, withPods);
});

test('a command that prefixes the flags (--sim-run-pods) reads the option under its own name', () => {
  const values = new Map<string, string | boolean>([['sim-run-pods', false]]);
  assert.equal(simOptionsFromFlags(values, (flag) => `sim-${flag}`).runPods, false);
});
