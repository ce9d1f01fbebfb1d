import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../common/clock.js';
import { defaultNodeLifecycleSettings } from './controller.js';
import { ZoneTainters } from './disruption.js';

const node = (name: string, zone: string): Node => ({ metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } } });
const ready = (status: string): NodeCondition => ({ type: 'Ready', status });
const zoneKeyOf = (zone: string) => `:\x00:${zone}`;

function drain(zones: ZoneTainters, zone: Node): string[] {
  const handed: string[] = [];
  zones.forNode(zone).try((value) => (handed.push(value.value), { done: true }));
  return handed;
}

test('a small zone with most nodes down stops tainting; a healthy zone keeps the normal rate', () => {
  const zones = new ZoneTainters(new FakeClock(), defaultNodeLifecycleSettings);
  const a = node('a1', 'a');
  const b = node('b1', 'b');
  zones.forNode(a).add('a1', '');
  zones.forNode(b).add('b1', '');
  const change = zones.update(new Map([
    [zoneKeyOf('a'), [ready('Unknown'), ready('Unknown'), ready('Unknown'), ready('True')]],
    [zoneKeyOf('b'), [ready('Unknown'), ready('True'), ready('True')]],
  ]));
  assert.equal(change, undefined);
  assert.equal(zones.states.get(zoneKeyOf('a')), 'PartialDisruption');
  assert.equal(zones.states.get(zoneKeyOf('b')), 'Normal');
  assert.deepEqual(drain(zones, a), []);
  assert.deepEqual(drain(zones, b), ['b1']);
});

test('every zone fully down enters master disruption mode; a node back leaves it', () => {
  const zones = new ZoneTainters(new FakeClock(), defaultNodeLifecycleSettings);
  const a = node('a1', 'a');
  zones.forNode(a).add('a1', '');
  assert.equal(zones.update(new Map([[zoneKeyOf('a'), [ready('Unknown')]]])), 'enteredFullDisruption');
  assert.deepEqual(drain(zones, a), []);
  assert.equal(zones.update(new Map([[zoneKeyOf('a'), [ready('Unknown')]]])), undefined);
  assert.equal(zones.update(new Map([[zoneKeyOf('a'), [ready('True'), ready('Unknown')]]])), 'leftFullDisruption');
  assert.equal(zones.states.get(zoneKeyOf('a')), 'Normal');
});
