import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../common/clock.js';
import { fakeInformer } from '../fakes.test-support.js';
import { PodGcController, quarantineTimeMs } from './controller.js';

function pod(name: string, options: { phase?: string; node?: string; created?: string; deleting?: boolean; reason?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', creationTimestamp: options.created ?? '2024-01-01T00:00:00Z', ...(options.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { containers: [], ...(options.node ? { nodeName: options.node } : {}) },
    status: { phase: options.phase ?? 'Running', ...(options.reason ? { reason: options.reason } : {}) },
  };
}

function node(name: string, ready = true, taints: { key: string; effect: string }[] = []): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
}

function setup(pods: Pod[], nodes: Node[], threshold?: number, apiNodes: string[] = []) {
  const calls: string[] = [];
  const clock = new FakeClock();
  const controller = new PodGcController({
    pods: fakeInformer(pods as KubeObject[]),
    nodes: fakeInformer(nodes as KubeObject[]),
    clock,
    terminatedPodThreshold: threshold,
    api: {
      async applyPodStatus(_ns, name, status) {
        calls.push(`fail ${name}${status.conditions ? ` ${status.conditions[0]!.reason}: ${status.conditions[0]!.message}` : ''}`);
      },
      async forceDelete(_ns, name) {
        calls.push(`delete ${name}`);
      },
      async nodeExists(name) {
        calls.push(`get node ${name}`);
        return apiNodes.includes(name);
      },
    },
  });
  return { controller, calls, clock };
}

test('terminated pods above the threshold are deleted, evicted first then oldest first', async () => {
  const pods = [
    pod('new', { phase: 'Succeeded', created: '2024-01-03T00:00:00Z' }),
    pod('old', { phase: 'Failed', created: '2024-01-01T00:00:00Z' }),
    pod('evicted', { phase: 'Failed', reason: 'Evicted', created: '2024-01-05T00:00:00Z' }),
    pod('running'),
  ];
  const { controller, calls } = setup(pods, [], 1);
  await controller.gc();
  assert.deepEqual(calls, ['delete evicted', 'delete old']);
});

test('a threshold of 0 keeps every terminated pod', async () => {
  const { controller, calls } = setup([pod('done', { phase: 'Succeeded' })], [], 0);
  await controller.gc();
  assert.deepEqual(calls, []);
});

test('pods of a missing node are deleted only after the quarantine and once the API confirms the node is gone', async () => {
  const pods = [pod('orphan', { node: 'gone' }), pod('back', { node: 'recreated' }), pod('fine', { node: 'here' })];
  const { controller, calls, clock } = setup(pods, [node('here')], undefined, ['recreated']);
  await controller.gc();
  assert.deepEqual(calls, []);
  clock.step(quarantineTimeMs);
  await controller.gc();
  assert.deepEqual(calls, ['get node gone', 'get node recreated', 'fail orphan DeletionByPodGC: PodGC: node no longer exists', 'delete orphan']);
});

test('terminating pods on a NotReady out-of-service node and unscheduled terminating pods are force-deleted', async () => {
  const pods = [
    pod('stuck', { node: 'down', deleting: true }),
    pod('waiting', { node: 'down-no-taint', deleting: true }),
    pod('never-scheduled', { phase: 'Pending', deleting: true }),
    pod('finished', { phase: 'Succeeded', node: 'down', deleting: true }),
  ];
  const nodes = [node('down', false, [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }]), node('down-no-taint', false)];
  const { controller, calls } = setup(pods, nodes);
  await controller.gc();
  // A finished pod is only deleted; a running one is marked Failed first (no condition here, as upstream).
  assert.deepEqual(calls, ['delete finished', 'fail stuck', 'delete stuck', 'fail never-scheduled', 'delete never-scheduled']);
});
