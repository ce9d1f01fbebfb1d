import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Framework } from '../framework/framework.js';
import { defaultProfile, inTreeRegistry } from '../registry.js';
import { makeNode, makePod } from '../testing.js';
import type { PodStatusPatch, SchedulerApi, SchedulerEvent } from './api.js';
import { registryWithBinder } from './run.js';
import { Scheduler } from './scheduler.js';

/** Records every write; binds succeed unless failBind says otherwise. */
class FakeApi implements SchedulerApi {
  readonly binds: [string, string][] = [];
  readonly patches: [string, PodStatusPatch][] = [];
  readonly deleted: string[] = [];
  readonly events: SchedulerEvent[] = [];
  failBind: ((pod: Pod) => Error | undefined) | undefined;
  async bind(pod: Pod, nodeName: string): Promise<void> {
    const error = this.failBind?.(pod);
    if (error) throw error;
    this.binds.push([pod.metadata!.name!, nodeName]);
  }
  async patchPodStatus(pod: Pod, patch: PodStatusPatch): Promise<void> {
    this.patches.push([pod.metadata!.name!, patch]);
  }
  async deletePod(pod: Pod): Promise<void> {
    this.deleted.push(pod.metadata!.name!);
  }
  event(event: SchedulerEvent): void {
    this.events.push(event);
  }
  messages(reason: string): string[] {
    return this.events.filter((e) => e.reason === reason).map((e) => `${e.involvedObject.metadata!.name}: ${e.message}`);
  }
}

function setup(schedulerNames = ['default-scheduler']) {
  const api = new FakeApi();
  const pods = new Map<string, Pod>();
  let now = 0;
  const registry = registryWithBinder(inTreeRegistry, api);
  const scheduler = new Scheduler({
    frameworks: schedulerNames.map((name) => Framework.create(registry, defaultProfile(name))),
    api,
    currentPod: (ns, name) => pods.get(`${ns}/${name}`),
    nowMs: () => now,
    random: () => 0,
  });
  /** What the informer would deliver: keeps `pods` current and calls the handler. */
  const informer = {
    add(pod: Pod) {
      pods.set(`${pod.metadata!.namespace}/${pod.metadata!.name}`, pod);
      scheduler.onPodAdd(pod);
    },
    update(pod: Pod) {
      const key = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
      const old = pods.get(key)!;
      pods.set(key, pod);
      scheduler.onPodUpdate(old, pod);
    },
    delete(pod: Pod) {
      pods.delete(`${pod.metadata!.namespace}/${pod.metadata!.name}`);
      scheduler.onPodDelete(pod);
    },
  };
  /** Runs cycles until activeQ is empty, then lets bindings and writes finish. */
  const settle = async () => {
    while (scheduler.scheduleNext()) await scheduler.drain();
    await scheduler.drain();
  };
  return { api, scheduler, informer, settle, pods, advance: (ms: number) => (now += ms) };
}

test('a pending pod is bound to the node that fits, with a Scheduled event', async () => {
  const { api, scheduler, informer, settle } = setup();
  scheduler.onNodeAdd(makeNode('small', { cpu: '1' }));
  scheduler.onNodeAdd(makeNode('big', { cpu: '8', labels: { disk: 'ssd' } }));
  informer.add(makePod('web', { cpu: '2', spec: { nodeSelector: { disk: 'ssd' } } }));
  await settle();
  assert.deepEqual(api.binds, [['web', 'big']]);
  assert.deepEqual(api.messages('Scheduled'), ['web: Successfully assigned default/web to big']);
  assert.equal(api.events[0]!.component, 'default-scheduler');
  assert.ok(scheduler.cache.isAssumed(makePod('web')), 'counted on big until the informer confirms');
});

test('the next pod sees the room taken by a pod still being bound', async () => {
  const { api, scheduler, informer, settle } = setup();
  scheduler.onNodeAdd(makeNode('a', { cpu: '1' }));
  scheduler.onNodeAdd(makeNode('b', { cpu: '1' }));
  informer.add(makePod('p1', { cpu: '1' }));
  informer.add(makePod('p2', { cpu: '1' }));
  // Both cycles run before any binding completes.
  assert.ok(scheduler.scheduleNext());
  assert.ok(scheduler.scheduleNext());
  await settle();
  assert.deepEqual(new Set(api.binds.map(([, node]) => node)), new Set(['a', 'b']));
});

test('an unschedulable pod gets FailedScheduling and PodScheduled=False, and is scheduled once a node fits', async () => {
  const { api, scheduler, informer, settle, advance } = setup();
  scheduler.onNodeAdd(makeNode('small', { cpu: '1', labels: { disk: 'ssd' } }));
  scheduler.onNodeAdd(makeNode('other', { labels: { disk: 'hdd' } }));
  informer.add(makePod('big', { cpu: '2', spec: { nodeSelector: { disk: 'ssd' } } }));
  await settle();
  const message =
    "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.";
  assert.deepEqual(api.messages('FailedScheduling'), [`big: ${message}`]);
  const [name, patch] = api.patches[0]!;
  assert.equal(name, 'big');
  assert.deepEqual(
    { ...patch.conditions![0], lastTransitionTime: undefined },
    { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: undefined },
  );
  assert.deepEqual(scheduler.pendingCounts, { active: 0, backoff: 0, unschedulable: 1 });

  // Our own status write comes back as an update: it must not retry the pod.
  const current = makePod('big', { cpu: '2', spec: { nodeSelector: { disk: 'ssd' } } });
  informer.update({ ...current, metadata: { ...current.metadata, resourceVersion: '2' }, status: { phase: 'Pending', conditions: patch.conditions } });
  assert.deepEqual(scheduler.pendingCounts, { active: 0, backoff: 0, unschedulable: 1 });

  advance(2_000);
  scheduler.onNodeAdd(makeNode('fits', { cpu: '4', labels: { disk: 'ssd' } }));
  await settle();
  assert.deepEqual(api.binds, [['big', 'fits']]);
});

test('a retry with the same outcome writes no status again', async () => {
  const { api, scheduler, informer, settle, advance } = setup();
  scheduler.onNodeAdd(makeNode('small', { cpu: '1' }));
  informer.add(makePod('big', { cpu: '2' }));
  await settle();
  const conditions = api.patches[0]![1].conditions;
  const pod = makePod('big', { cpu: '2' });
  informer.update({ ...pod, metadata: { ...pod.metadata, resourceVersion: '2' }, status: { phase: 'Pending', conditions } });
  advance(2_000);
  scheduler.onNodeUpdate(makeNode('small', { cpu: '1' }), makeNode('small', { cpu: '1500m' }));
  await settle();
  assert.equal(api.messages('FailedScheduling').length, 2);
  assert.equal(api.patches.length, 1);
});

test('pods for another schedulerName are left alone; a second profile schedules them', async () => {
  const single = setup();
  single.scheduler.onNodeAdd(makeNode('n1'));
  single.informer.add(makePod('mine', { spec: { schedulerName: 'my-scheduler' } }));
  await single.settle();
  assert.deepEqual(single.api.binds, []);
  assert.deepEqual(single.scheduler.pendingCounts, { active: 0, backoff: 0, unschedulable: 0 });

  const both = setup(['default-scheduler', 'my-scheduler']);
  both.scheduler.onNodeAdd(makeNode('n1'));
  both.informer.add(makePod('mine', { spec: { schedulerName: 'my-scheduler' } }));
  await both.settle();
  assert.deepEqual(both.api.binds, [['mine', 'n1']]);
  assert.equal(both.api.events[0]!.component, 'my-scheduler');
});

test('a failed binding forgets the assumed pod and retries it after its backoff', async () => {
  const { api, scheduler, informer, settle, advance } = setup();
  scheduler.onNodeAdd(makeNode('n1', { cpu: '1' }));
  let fail = true;
  api.failBind = () => (fail ? new Error('connection reset') : undefined);
  informer.add(makePod('p', { cpu: '1' }));
  await settle();
  assert.deepEqual(api.messages('FailedScheduling'), ['p: running Bind plugin "DefaultBinder": connection reset']);
  assert.equal(api.patches[0]![1].conditions![0]!.reason, 'SchedulerError');
  assert.equal(scheduler.cache.snapshot.get('n1')!.requested.milliCpu, 0, 'the room is free again');
  assert.deepEqual(scheduler.pendingCounts, { active: 0, backoff: 1, unschedulable: 0 });
  fail = false;
  advance(1_000);
  scheduler.queue.flushBackoffQCompleted();
  await settle();
  assert.deepEqual(api.binds, [['p', 'n1']]);
});

test('once bound, the informer confirms the pod and it leaves the queue for good', async () => {
  const { scheduler, informer, settle } = setup();
  scheduler.onNodeAdd(makeNode('n1'));
  const pod = makePod('p', { cpu: '1' });
  informer.add(pod);
  await settle();
  informer.update({ ...pod, metadata: { ...pod.metadata, resourceVersion: '2' }, spec: { ...pod.spec!, nodeName: 'n1' } });
  assert.ok(!scheduler.cache.isAssumed(pod));
  assert.equal(scheduler.cache.snapshot.get('n1')!.pods.length, 1);
  informer.update({ ...pod, metadata: { ...pod.metadata, resourceVersion: '3' }, spec: { ...pod.spec!, nodeName: 'n1' }, status: { phase: 'Succeeded' } });
  assert.equal(scheduler.cache.snapshot.get('n1')!.pods.length, 0, 'finished pods hold nothing');
});

test('a higher-priority pod preempts: victim marked and deleted, preemptor nominated, retried after the delete', async () => {
  const { api, scheduler, informer, settle, advance } = setup();
  scheduler.onNodeAdd(makeNode('n1', { cpu: '2' }));
  const victim = makePod('low', { cpu: '2', node: 'n1', priority: 0 });
  informer.add(victim);
  informer.add(makePod('high', { cpu: '2', priority: 1000 }));
  await settle();
  assert.deepEqual(api.deleted, ['low']);
  assert.deepEqual(api.messages('Preempted'), ['low: Preempted by pod uid-high on node n1']);
  const disruption = api.patches.find(([name]) => name === 'low')![1].conditions![0]!;
  assert.equal(disruption.type, 'DisruptionTarget');
  assert.equal(disruption.reason, 'PreemptionByScheduler');
  const nominated = api.patches.find(([name]) => name === 'high')![1];
  assert.equal(nominated.nominatedNodeName, 'n1');
  assert.equal(scheduler.queue.nominator.nominatedNodeName(makePod('high')), 'n1');
  assert.deepEqual(api.binds, []);

  advance(2_000);
  informer.delete(victim);
  await settle();
  assert.deepEqual(api.binds, [['high', 'n1']]);
});

test('a pod deleted while pending leaves the queue; one deleted during binding is not requeued', async () => {
  const { api, scheduler, informer, settle } = setup();
  informer.add(makePod('gone', { cpu: '1' }));
  informer.delete(makePod('gone', { cpu: '1' }));
  assert.deepEqual(scheduler.pendingCounts, { active: 0, backoff: 0, unschedulable: 0 });

  scheduler.onNodeAdd(makeNode('n1'));
  api.failBind = () => new Error('pods "racing" not found');
  informer.add(makePod('racing', { cpu: '1' }));
  assert.ok(scheduler.scheduleNext());
  informer.delete(makePod('racing', { cpu: '1' }));
  await settle();
  assert.deepEqual(scheduler.pendingCounts, { active: 0, backoff: 0, unschedulable: 0 });
  assert.equal(scheduler.cache.podCount, 0);
});

test('a plugin that throws costs the pod a retry, not the loop', async () => {
  const { api, scheduler, informer, settle } = setup();
  scheduler.onNodeAdd(makeNode('n1'));
  const broken = makePod('broken');
  // A spec the plugins do not expect (containers is not a list) makes request summing throw.
  informer.add({ ...broken, spec: { ...broken.spec!, containers: 7 as unknown as [] } });
  informer.add(makePod('fine'));
  await settle();
  assert.deepEqual(api.binds, [['fine', 'n1']]);
  assert.equal(api.events.find((e) => e.reason === 'FailedScheduling')?.involvedObject.metadata?.name, 'broken');
  assert.equal(scheduler.cache.podCount, 1);
});
