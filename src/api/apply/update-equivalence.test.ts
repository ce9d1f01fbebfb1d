// The managedFields of the writes the scheduler benchmark makes (pod create, kubelet status,
// node heartbeat, event create, an update by a second manager), byte for byte as the
// implementation before the fast paths (structural-sharing sets, ordered re-encoding, hints)
// produced them. Each write runs twice so the second goes through a warm encoding hint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../object.js';
import { emptyObjectFor, recordUpdate, typeInfoForKind, type ManagedFieldsEntry } from './index.js';
import { EXPECTED } from './update-equivalence.expected.js';

const now = new Date('2026-11-23T03:02:40.512Z');
const later = new Date('2026-11-23T03:02:51.004Z');

function write(kind: string, old: KubeObject | undefined, updated: KubeObject, manager: string, at: Date, subresource?: string): ManagedFieldsEntry[] | undefined {
  const typeInfo = typeInfoForKind('v1', kind);
  return recordUpdate({
    old,
    updated,
    manager,
    operation: 'Update',
    apiVersion: 'v1',
    now: at,
    typeInfo,
    ...(subresource ? { subresource } : {}),
    ...(old ? {} : { emptyObject: emptyObjectFor('v1', kind, true, typeInfo) }),
  });
}

const stored = (o: KubeObject, managedFields: ManagedFieldsEntry[] | undefined): KubeObject =>
  ({ ...o, metadata: { ...o.metadata, uid: 'u-1', managedFields } }) as KubeObject;

const pod = (name: string, ip: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'sched-0', labels: { app: 'web', 'constructor': 'x' } },
  spec: {
    containers: [
      { name: 'pause', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '100m' }, requests: { cpu: '100m' } }, imagePullPolicy: 'IfNotPresent' },
    ],
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    nodeName: ip === '' ? undefined : 'node-1',
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  },
  status: { phase: 'Pending', qosClass: 'Burstable' },
});

const running = (ip: string) => ({
  phase: 'Running',
  qosClass: 'Burstable',
  conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-23T03:02:40Z' })),
  hostIP: '10.128.0.1',
  hostIPs: [{ ip: '10.128.0.1' }],
  podIP: ip,
  podIPs: [{ ip }],
  startTime: '2026-11-23T03:02:40Z',
  containerStatuses: [{ name: 'pause', ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-23T03:02:40Z' } } }],
});

function scenario(name: string, ip: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const created = write('Pod', undefined, pod(name, ''), 'bench', now);
  out.create = created;
  const live = stored(pod(name, ''), created);
  const status = write('Pod', live, { ...live, status: running(ip) } as KubeObject, 'k8ts-sim', now, 'status');
  out.status = status;
  const afterStatus = stored({ ...live, status: running(ip) } as KubeObject, status);
  // A second manager relabels and drops a toleration; the first keeps what it did not touch.
  const relabelled = structuredClone(afterStatus);
  relabelled.metadata!.labels = { app: 'db', tier: 'x' };
  (relabelled.spec as { tolerations: unknown[] }).tolerations = [];
  out.update = write('Pod', afterStatus, relabelled, 'kubectl-edit', later);
  // A client resets managedFields with [{}] and one sends entries of its own in another spelling.
  out.reset = write('Pod', afterStatus, { ...afterStatus, metadata: { ...afterStatus.metadata, managedFields: [{}] } } as KubeObject, 'kubectl', later);
  const sent = [{ manager: 'x', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:restartPolicy': {}, 'f:containers': { 'k:{"name":"pause"}': { 'f:image': {}, '.': {} } } } } }];
  out.sent = write('Pod', afterStatus, { ...afterStatus, metadata: { ...afterStatus.metadata, managedFields: sent } } as KubeObject, 'kubectl', later);
  return out;
}

test('pod create, status, update and managedFields edits record exactly what they did before the fast paths', () => {
  // Twice: the second pod's entries are encoded with the first pod's as hints.
  assert.equal(JSON.stringify(scenario('p-1', '10.128.0.2')), EXPECTED.pod1);
  assert.equal(JSON.stringify(scenario('p-2', '10.128.0.3')), EXPECTED.pod2);
});

test('node heartbeats and event creates record exactly what they did before the fast paths', () => {
  const node: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    spec: { podCIDR: '10.128.0.0/24', podCIDRs: ['10.128.0.0/24'] },
    status: {
      conditions: ['MemoryPressure', 'Ready'].map((type) => ({ type, status: 'False', lastHeartbeatTime: '2026-11-23T03:02:27Z', lastTransitionTime: '2026-11-23T03:02:27Z' })),
      addresses: [{ type: 'InternalIP', address: '10.128.0.1' }],
      capacity: { cpu: '4', pods: '110' },
    },
  };
  const created = write('Node', undefined, node, 'k8ts-sim', now);
  let live = stored(node, created);
  const beats: unknown[] = [created];
  for (const at of [later, new Date('2026-11-23T03:03:01Z')]) {
    const next = structuredClone(live);
    for (const c of (next.status as { conditions: { lastHeartbeatTime: string }[] }).conditions) c.lastHeartbeatTime = at.toISOString();
    const entries = write('Node', live, next, 'k8ts-sim', at, 'status');
    beats.push(entries);
    live = stored(next, entries);
  }
  const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'p-1.1', namespace: 'sched-0' }, involvedObject: { kind: 'Pod', name: 'p-1' }, reason: 'Scheduled', message: 'ok', source: { component: 'default-scheduler' }, type: 'Normal', count: 1 } as KubeObject;
  beats.push(write('Event', undefined, event, 'kube-scheduler', now), write('Event', undefined, event, 'kube-scheduler', now));
  assert.equal(JSON.stringify(beats), EXPECTED.nodeAndEvents);
});
