import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultEvictionHard, formatThresholds, parseEvictionHard, thresholdMet, thresholdQuantity } from './thresholds.js';

test('the default thresholds are upstream’s', () => {
  const thresholds = parseEvictionHard(defaultEvictionHard);
  assert.deepEqual(thresholds.map((t) => t.signal), ['memory.available', 'nodefs.available', 'imagefs.available', 'nodefs.inodesFree']);
  assert.equal(thresholds[0]!.quantity?.toString(), '100Mi');
  assert.equal(thresholds[1]!.percentage, Math.fround(0.1));
  assert.equal(formatThresholds(thresholds), defaultEvictionHard);
});

test('0% and 100% are ignored, as upstream ignores them', () => {
  assert.deepEqual(parseEvictionHard('nodefs.available<0%,imagefs.available<100%'), []);
});

test('errors read as upstream’s', () => {
  assert.throws(() => parseEvictionHard('memory.free<1Gi'), /^Error: unsupported eviction signal memory.free$/);
  assert.throws(() => parseEvictionHard('memory.available=1Gi'), /malformed pair, expect string<string/);
  assert.throws(() => parseEvictionHard('memory.available<0'), /eviction threshold memory.available must be positive: 0/);
  assert.throws(() => parseEvictionHard('memory.available<-1Gi'), /eviction threshold memory.available must be positive: -1Gi/);
  assert.throws(() => parseEvictionHard('nodefs.available<150%'), /eviction percentage threshold nodefs.available must be <= 100%: 150%/);
  assert.throws(() => parseEvictionHard('nodefs.available<-5%'), /eviction percentage threshold nodefs.available must be >= 0%: -5%/);
  assert.throws(() => parseEvictionHard('memory.available<lots'), /quantities must match the regular expression/);
});

test('a percentage is a float32 share of the capacity, truncated, as upstream computes it', () => {
  const [nodefs] = parseEvictionHard('nodefs.available<10%');
  assert.equal(thresholdQuantity(nodefs!, 10 * 1024 ** 3).toString(), '1073741840');
  assert.equal(thresholdQuantity(nodefs!, 10 * 1024).toString(), '1Ki');
  assert.ok(thresholdMet(nodefs!, { available: 1024 ** 3 - 1, capacity: 10 * 1024 ** 3 }));
  assert.ok(!thresholdMet(nodefs!, { available: 1024 ** 3 + 4096, capacity: 10 * 1024 ** 3 }));
});

test('a threshold is met only below its quantity', () => {
  const [memory] = parseEvictionHard('memory.available<100Mi');
  assert.ok(thresholdMet(memory!, { available: 100 * 1024 * 1024 - 1, capacity: 8 * 1024 ** 3 }));
  assert.ok(!thresholdMet(memory!, { available: 100 * 1024 * 1024, capacity: 8 * 1024 ** 3 }));
});
