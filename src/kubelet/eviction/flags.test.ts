import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evictionFlagValues } from './flags.js';

test('without flags the thresholds and transition period are upstream’s defaults', () => {
  const config = evictionFlagValues(new Map());
  assert.deepEqual(config.thresholds.map((t) => t.signal), ['memory.available', 'nodefs.available', 'imagefs.available', 'nodefs.inodesFree']);
  assert.equal(config.pressureTransitionPeriodMs, 300_000);
});

test('--eviction-hard replaces the defaults; --eviction-pressure-transition-period takes a Go duration', () => {
  const config = evictionFlagValues(new Map([['eviction-hard', 'memory.available<1Gi'], ['eviction-pressure-transition-period', '30s']]));
  assert.deepEqual(config.thresholds.map((t) => `${t.signal}<${t.quantity?.toString()}`), ['memory.available<1Gi']);
  assert.equal(config.pressureTransitionPeriodMs, 30_000);
});

test('bad values are usage errors naming the flag', () => {
  assert.throws(() => evictionFlagValues(new Map([['eviction-hard', 'memory.free<1Gi']])), /invalid argument "memory.free<1Gi" for "--eviction-hard" flag: unsupported eviction signal memory.free/);
  assert.throws(() => evictionFlagValues(new Map([['eviction-pressure-transition-period', 'soon']])), /invalid argument "soon" for "--eviction-pressure-transition-period" flag: time: invalid duration "soon"/);
});
