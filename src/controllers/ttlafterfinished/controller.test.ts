import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../common/clock.js';
import { fakeInformer } from '../fakes.test-support.js';
import type { Job } from '../job/types.js';
import { timeLeftMs, TtlAfterFinishedController } from './controller.js';

const finished = (ttl: number | undefined, at = '2024-01-01T00:00:00Z', rv = '7'): Job => ({
  metadata: { name: 'j', namespace: 'ns', resourceVersion: rv },
  spec: ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl },
  status: { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: at }] },
});

test('time left counts from the finishing condition; unfinished or TTL-less Jobs need no cleanup', () => {
  const now = Date.parse('2024-01-01T00:00:30Z');
  assert.equal(timeLeftMs(finished(100), now), 70_000);
  assert.equal(timeLeftMs(finished(10), now), -20_000);
  assert.equal(timeLeftMs(finished(undefined), now), undefined);
  assert.equal(timeLeftMs({ metadata: { name: 'j' }, spec: { ttlSecondsAfterFinished: 0 }, status: {} }, now), undefined);
});

function setup(cached: Job, live: Job) {
  const clock = new FakeClock(Date.parse('2024-01-01T00:01:00Z'));
  const deletes: unknown[] = [];
  const controller = new TtlAfterFinishedController({
    jobs: fakeInformer([cached]),
    clock,
    jobClient: {
      get: async () => live,
      delete: async (ns, name, options) => {
        deletes.push({ ns, name, options });
        return live;
      },
    },
  });
  return { controller, deletes };
}

test('an expired Job is deleted in the foreground, guarded by the resourceVersion just read', async () => {
  const { controller, deletes } = setup(finished(30), finished(30, undefined, '9'));
  await controller.processJob('ns/j');
  controller.shutDown();
  assert.deepEqual(deletes, [{ ns: 'ns', name: 'j', options: { propagationPolicy: 'Foreground', preconditions: { resourceVersion: '9' } } }]);
});

test('a Job whose TTL was raised meanwhile is not deleted', async () => {
  const { controller, deletes } = setup(finished(30), finished(3600));
  await controller.processJob('ns/j');
  // The raised TTL is waited for on the queue's timer; shutting down clears it.
  controller.shutDown();
  assert.deepEqual(deletes, []);
});
