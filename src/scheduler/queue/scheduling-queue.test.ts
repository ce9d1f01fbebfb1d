import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { newPrioritySort } from '../plugins/priority-sort.js';
import { newSchedulingGates } from '../plugins/scheduling-gates.js';
import { makePod } from '../testing.js';
import { SchedulingQueue } from './scheduling-queue.js';

function newQueue() {
  const clock = { now: 0, nowMs() { return this.now; } };
  const sort = newPrioritySort();
  const gates = newSchedulingGates();
  const queue = new SchedulingQueue({ clock, less: (a, b) => sort.less(a, b), preEnqueue: (p) => gates.preEnqueue(p) });
  return { clock, queue };
}
const names = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata!.name!);

test('activeQ pops higher priority first, then earlier arrival', () => {
  const { clock, queue } = newQueue();
  queue.add(makePod('low-early', { priority: 1 }));
  clock.now = 1;
  queue.add(makePod('high', { priority: 100 }));
  clock.now = 2;
  queue.add(makePod('low-late', { priority: 1 }));
  assert.deepEqual([queue.pop(), queue.pop(), queue.pop()].map((i) => i?.pod.metadata?.name), ['high', 'low-early', 'low-late']);
  assert.equal(queue.pop(), undefined);
});

test('backoff doubles per attempt from 1s and caps at 10s', () => {
  const { queue } = newQueue();
  queue.add(makePod('p'));
  const info = queue.pop()!;
  const durations = [1, 2, 3, 4, 5, 6].map((attempts) => queue.backoffDurationMs({ ...info, attempts }));
  assert.deepEqual(durations, [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('an unschedulable pod waits for a helpful event, then for its backoff', () => {
  const { clock, queue } = newQueue();
  queue.add(makePod('p', { cpu: '8' }));
  const info = queue.pop()!;
  queue.addUnschedulableIfNotPresent(info, queue.currentSchedulingCycle, new Set(['NodeResourcesFit']));
  assert.deepEqual(queue.lengths, { active: 0, backoff: 0, unschedulable: 1 });

  queue.moveAllToActiveOrBackoffQueue({ resource: 'PersistentVolumeClaim', action: 'Add' });
  assert.equal(queue.lengths.unschedulable, 1, 'a PVC event does not help NodeResourcesFit');

  clock.now = 500;
  queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: 'Add' });
  assert.deepEqual(queue.lengths, { active: 0, backoff: 1, unschedulable: 0 }, 'still inside its 1s backoff');
  queue.flushBackoffQCompleted();
  assert.equal(queue.lengths.backoff, 1);
  clock.now = 1000;
  queue.flushBackoffQCompleted();
  assert.equal(queue.pop()?.pod.metadata?.name, 'p');
});

test('an event during the pod\'s cycle sends it to backoffQ instead of parking it', () => {
  const { clock, queue } = newQueue();
  queue.add(makePod('p'));
  const info = queue.pop()!;
  const cycle = queue.currentSchedulingCycle;
  queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: 'Add' });
  queue.addUnschedulableIfNotPresent(info, cycle, new Set(['NodeAffinity']));
  assert.deepEqual(queue.lengths, { active: 0, backoff: 1, unschedulable: 0 });
  clock.now = 1000;
  queue.flushBackoffQCompleted();
  assert.equal(queue.lengths.active, 1);
});

test('the periodic flush retries pods parked longer than 5 minutes', () => {
  const { clock, queue } = newQueue();
  queue.add(makePod('p'));
  queue.addUnschedulableIfNotPresent(queue.pop()!, queue.currentSchedulingCycle, new Set(['NodeAffinity']));
  clock.now = 5 * 60_000;
  queue.flushUnschedulablePodsLeftover();
  assert.equal(queue.lengths.unschedulable, 1);
  clock.now = 5 * 60_000 + 1;
  queue.flushUnschedulablePodsLeftover();
  assert.equal(queue.lengths.active, 1);
});

test('a gated pod stays out of activeQ until its gates are removed', () => {
  const { queue } = newQueue();
  const gated = makePod('g', { spec: { schedulingGates: [{ name: 'example.com/wait' }] } });
  queue.add(gated);
  assert.equal(queue.pop(), undefined);
  queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: 'Add' });
  assert.equal(queue.lengths.unschedulable, 1);
  queue.update(gated, makePod('g'));
  assert.equal(queue.pop()?.pod.metadata?.name, 'g');
});

test('nominated pods are tracked per node and cleared on delete', () => {
  const { queue } = newQueue();
  const pod = makePod('p', { priority: 10 });
  queue.add(pod);
  queue.nominator.add(pod, 'n1');
  assert.deepEqual(names(queue.nominator.podsForNode('n1')), ['p']);
  queue.delete(pod);
  assert.deepEqual(queue.nominator.podsForNode('n1'), []);
});
