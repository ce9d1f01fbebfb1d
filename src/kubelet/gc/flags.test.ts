import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gcPolicyFromFlags, parseGoDurationMs } from './flags.js';
import { defaultGcPolicy } from './policy.js';

const flags = (entries: Record<string, string>): Map<string, string | boolean> => new Map(Object.entries(entries));

test('no flags give upstream defaults: 85/80 %, 2m, ttl 0, one dead container per container, no node limit', () => {
  assert.deepEqual(gcPolicyFromFlags(flags({})), defaultGcPolicy);
  assert.deepEqual(defaultGcPolicy, { image: { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 120_000 }, container: { minAgeMs: 0, maxPerPodContainer: 1, maxContainers: -1 } });
});

test('flags set the policy; durations are Go durations', () => {
  const policy = gcPolicyFromFlags(flags({ 'image-gc-high-threshold': '1', 'image-gc-low-threshold': '0', 'image-minimum-gc-age': '0s', 'minimum-container-ttl-duration': '1m30s', 'maximum-dead-containers-per-container': '2', 'maximum-dead-containers': '100' }));
  assert.deepEqual(policy, { image: { highThresholdPercent: 1, lowThresholdPercent: 0, minAgeMs: 0 }, container: { minAgeMs: 90_000, maxPerPodContainer: 2, maxContainers: 100 } });
  assert.equal(parseGoDurationMs('1h2m3.5s'), 3_723_500);
  assert.equal(parseGoDurationMs('0'), 0);
  assert.equal(parseGoDurationMs('-5s'), -5_000);
  assert.equal(parseGoDurationMs('5'), undefined);
});

test('invalid values fail with upstream\'s messages', () => {
  assert.throws(() => gcPolicyFromFlags(flags({ 'image-gc-high-threshold': '101' })), { message: 'failed to validate kubelet configuration, error: invalid configuration: imageGCHighThresholdPercent (--image-gc-high-threshold) 101 must be between 0 and 100, inclusive' });
  assert.throws(() => gcPolicyFromFlags(flags({ 'image-gc-low-threshold': '90' })), { message: 'failed to validate kubelet configuration, error: invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) 90 must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) 85' });
  assert.throws(() => gcPolicyFromFlags(flags({ 'image-gc-low-threshold': '-1', 'image-gc-high-threshold': '-2' })), /^Error: failed to validate kubelet configuration, error: \[invalid configuration: imageGCHighThresholdPercent .* -2 must be between 0 and 100, inclusive, invalid configuration: imageGCLowThresholdPercent .* -1 must be between 0 and 100, inclusive, invalid configuration: imageGCLowThresholdPercent \(--image-gc-low-threshold\) -1 must be less than/);
  assert.throws(() => gcPolicyFromFlags(flags({ 'image-minimum-gc-age': '-1m' })), { message: 'failed to validate kubelet configuration, error: invalid configuration: imageMinimumGCAge -60s must not be negative' });
  assert.throws(() => gcPolicyFromFlags(flags({ 'image-minimum-gc-age': 'soon' })), { message: 'invalid argument "soon" for "--image-minimum-gc-age" flag: time: invalid duration "soon"' });
  assert.throws(() => gcPolicyFromFlags(flags({ 'maximum-dead-containers': 'many' })), { message: 'invalid argument "many" for "--maximum-dead-containers" flag: strconv.ParseInt: parsing "many": invalid syntax' });
});
