import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import type { SharedInformer } from '../../client/index.js';
import { makePod } from '../testing.js';
import { cachedList, podPriorityResolver, type SchedulerInformers } from './informers.js';

/** Just enough of a SharedInformer: a cache and handlers that tests fire by hand. */
function fakeInformer(objects: KubeObject[]) {
  const handlers: { onAdd?: (o: KubeObject, initial: boolean) => void }[] = [];
  let lists = 0;
  const informer = {
    cache: {
      get: (key: string) => objects.find((o) => o.metadata?.name === key),
      list: () => {
        lists++;
        return [...objects];
      },
    },
    addEventHandler: (h: (typeof handlers)[number]) => void handlers.push(h),
  } as unknown as SharedInformer<KubeObject>;
  return { informer, add: (o: KubeObject) => (objects.push(o), handlers.forEach((h) => h.onAdd?.(o, false))), lists: () => lists };
}

test('a pod naming a PriorityClass without spec.priority gets the class value and policy', () => {
  const classes = fakeInformer([{ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' }]);
  const resolve = podPriorityResolver({ priorityClasses: classes.informer } as unknown as SchedulerInformers);
  const pod = makePod('p', { spec: { priorityClassName: 'high' } });
  const resolved = resolve(pod);
  assert.equal(resolved.spec?.priority, 1000);
  assert.equal(resolved.spec?.preemptionPolicy, 'Never');
  assert.equal(pod.spec?.priority, undefined, 'the informer object is not changed');
  const admitted = makePod('q', { priority: 5, spec: { priorityClassName: 'high' } });
  assert.equal(resolve(admitted), admitted, 'a priority set by admission wins');
  const unknown = makePod('r', { spec: { priorityClassName: 'missing' } });
  assert.equal(resolve(unknown), unknown);
});

test('a cached list is rebuilt only after its informer changed', () => {
  const services = fakeInformer([{ metadata: { name: 'a' } }]);
  const list = cachedList<KubeObject>(services.informer);
  assert.equal(list().length, 1);
  assert.equal(list().length, 1);
  assert.equal(services.lists(), 1);
  services.add({ metadata: { name: 'b' } });
  assert.equal(list().length, 2);
  assert.equal(services.lists(), 2);
});
