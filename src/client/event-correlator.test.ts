import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateIntervalMs, EventCorrelator, spamBurst, spamRefillMs } from './event-correlator.js';
import { buildEvent } from './events.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1' } };
const event = (reason: string, message: string, name = pod.metadata.name) =>
  buildEvent({ involvedObject: { ...pod, metadata: { ...pod.metadata, name } }, type: 'Warning', reason, message, component: 'kubelet', host: 'n1' });

test('an identical event becomes a patch of the first one with a rising count', () => {
  const correlator = new EventCorrelator(() => 0);
  const first = correlator.correlate(event('BackOff', 'Back-off restarting failed container'));
  assert.equal(first.action, 'create');
  const second = correlator.correlate(event('BackOff', 'Back-off restarting failed container'));
  const third = correlator.correlate(event('BackOff', 'Back-off restarting failed container'));
  assert.equal(second.action, 'patch');
  assert.equal(third.action, 'patch');
  if (first.action !== 'create' || third.action !== 'patch') return;
  assert.equal(third.event.metadata?.name, first.event.metadata?.name);
  assert.equal(third.patch.count, 3);
  assert.equal(third.event['firstTimestamp'], first.event['firstTimestamp']);
});

test('different objects, reasons or messages are separate events', () => {
  const correlator = new EventCorrelator(() => 0);
  assert.equal(correlator.correlate(event('Pulled', 'a')).action, 'create');
  assert.equal(correlator.correlate(event('Created', 'a')).action, 'create');
  assert.equal(correlator.correlate(event('Pulled', 'b')).action, 'create');
  assert.equal(correlator.correlate(event('Pulled', 'a', 'other')).action, 'create');
});

test('ten similar events within ten minutes are combined into one', () => {
  let now = 0;
  const correlator = new EventCorrelator(() => now);
  const actions = [];
  for (let i = 0; i < 12; i++) actions.push(correlator.correlate(event('SuccessfulCreate', `Created pod: web-${i}`)));
  assert.deepEqual(actions.map((a) => a.action), ['create', 'create', 'create', 'create', 'create', 'create', 'create', 'create', 'create', 'create', 'patch', 'patch']);
  const tenth = actions[9]!;
  assert.ok(tenth.action === 'create' && tenth.event['message'] === '(combined from similar events): Created pod: web-9');
  const last = actions[11]!;
  assert.ok(last.action === 'patch' && last.patch.message === '(combined from similar events): Created pod: web-11' && last.patch.count === 3);
  now += aggregateIntervalMs + 1;
  const later = correlator.correlate(event('SuccessfulCreate', 'Created pod: web-99'));
  assert.ok(later.action === 'create' && later.event['message'] === 'Created pod: web-99');
});

test('the spam filter lets a burst through per object, then one per five minutes', () => {
  let now = 0;
  const correlator = new EventCorrelator(() => now);
  for (let i = 0; i < spamBurst; i++) assert.notEqual(correlator.correlate(event('BackOff', 'x')).action, 'drop');
  assert.equal(correlator.correlate(event('BackOff', 'x')).action, 'drop');
  assert.equal(correlator.correlate(event('BackOff', 'x', 'another-pod')).action, 'create');
  now += spamRefillMs;
  assert.equal(correlator.correlate(event('BackOff', 'x')).action, 'patch');
  assert.equal(correlator.correlate(event('BackOff', 'x')).action, 'drop');
});
