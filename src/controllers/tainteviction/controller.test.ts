import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import { TaintEvictionController } from './controller.js';
import { matchingTolerations, minTolerationMs } from './tolerations.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };

function node(name: string, taints: Taint[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints } };
}

function pod(name: string, tolerations: Toleration[] = []): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid: `uid-${name}` }, spec: { nodeName: 'a', tolerations, containers: [] }, status: { phase: 'Running' } };
}

function setup(nodes: KubeObject[], pods: KubeObject[]) {
  const clock = new FakeClock();
  const calls: string[] = [];
  const recorder = new RecordingEventRecorder();
  const nodesInformer = fakeInformer(nodes);
  const podsInformer = fakeInformer(pods);
  const controller = new TaintEvictionController({
    nodes: nodesInformer,
    pods: podsInformer,
    recorder,
    clock,
    podClient: {
      get: async (ns, name) => structuredClone(podsInformer.store.get(`${ns}/${name}`)!),
      patch: async (_ns, name, patch) => {
        calls.push(`patch ${name} ${JSON.stringify((patch as { status: { conditions: { type: string; reason: string }[] } }).status.conditions.map((c) => `${c.type}/${c.reason}`))}`);
        return {};
      },
      delete: async (_ns, name) => {
        calls.push(`delete ${name}`);
        return {} as never;
      },
    },
  });
  return { controller, clock, calls, recorder, nodesInformer, podsInformer };
}

const tolerate = (seconds?: number): Toleration => ({ key: unreachable.key, operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) });

test('tolerations: the smallest tolerationSeconds wins; none means forever; an untolerated taint means no match', () => {
  assert.equal(minTolerationMs(matchingTolerations([unreachable], [tolerate(300)])!), 300_000);
  assert.equal(minTolerationMs(matchingTolerations([unreachable], [tolerate()])!), -1);
  assert.equal(minTolerationMs(matchingTolerations([unreachable], [tolerate(-5)])!), 0);
  assert.equal(matchingTolerations([unreachable], [{ key: 'other', operator: 'Exists' }]), undefined);
});

test('a pod not tolerating the taint is marked DisruptionTarget and deleted at once', async () => {
  const { controller, calls, recorder } = setup([node('a', [unreachable])], [pod('p')]);
  await controller.handleNodeUpdate('a');
  await controller.processEviction('ns/p');
  assert.deepEqual(calls, ['patch p ["DisruptionTarget/DeletionByTaintManager"]', 'delete p']);
  assert.deepEqual(recorder.events, ['Normal TaintManagerEviction Marking for deletion Pod ns/p']);
});

test('a pod tolerating the taint for a while is deleted when tolerationSeconds run out; one tolerating it forever stays', async () => {
  const { controller, clock, calls } = setup([node('a', [unreachable])], [pod('short', [tolerate(30)]), pod('forever', [tolerate()])]);
  await controller.handleNodeUpdate('a');
  assert.equal(controller.scheduled.has('ns/forever'), false);
  clock.step(29_000);
  await controller.processEviction('ns/short');
  assert.deepEqual(calls, []);
  clock.step(1_000);
  await controller.processEviction('ns/short');
  assert.deepEqual(calls, ['patch short ["DisruptionTarget/DeletionByTaintManager"]', 'delete short']);
});

test('removing the taint cancels a pending eviction with an event', async () => {
  const { controller, calls, recorder, nodesInformer, clock } = setup([node('a', [unreachable])], [pod('p', [tolerate(30)])]);
  await controller.handleNodeUpdate('a');
  nodesInformer.store.upsert(node('a', []));
  await controller.handleNodeUpdate('a');
  clock.step(60_000);
  await controller.processEviction('ns/p');
  assert.deepEqual(calls, []);
  assert.deepEqual(recorder.events, ['Normal TaintManagerEviction Cancelling deletion of Pod ns/p']);
});

test('a pod arriving on a tainted node is handled on its own update', async () => {
  const { controller, calls, podsInformer } = setup([node('a', [unreachable])], []);
  await controller.handleNodeUpdate('a');
  podsInformer.store.upsert(pod('late'));
  await controller.handlePodUpdate('ns/late');
  await controller.processEviction('ns/late');
  assert.deepEqual(calls, ['patch late ["DisruptionTarget/DeletionByTaintManager"]', 'delete late']);
});
