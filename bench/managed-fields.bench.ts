// Micro-benchmark of managedFields bookkeeping for the writes the scheduler benchmark makes per
// pod (create, kubelet status, scheduler event) and per node (heartbeat). Prints µs per write.
//   node dist/bench/managed-fields.bench.js   (after make build)
import type { KubeObject } from '../src/api/object.js';
import { emptyObjectFor, recordUpdate, typeInfoForKind, type ManagedFieldsEntry } from '../src/api/apply/index.js';

/** Writes timed per shape; the fastest of `rounds` runs is reported (the machine is shared). */
const writesPerRound = 2_000;
const rounds = 7;

function write(kind: string, old: KubeObject | undefined, updated: KubeObject, manager: string, subresource?: string): ManagedFieldsEntry[] | undefined {
  const typeInfo = typeInfoForKind('v1', kind);
  return recordUpdate({
    old, updated, manager, operation: 'Update', apiVersion: 'v1', now: new Date(), typeInfo,
    ...(subresource ? { subresource } : {}),
    ...(old ? {} : { emptyObject: emptyObjectFor('v1', kind, true, typeInfo) }),
  });
}

/** The object as the watch cache holds it: the very managedFields objects the write returned. */
const stored = (o: KubeObject, managedFields: ManagedFieldsEntry[] | undefined): KubeObject => {
  const copy = JSON.parse(JSON.stringify({ ...o, metadata: { ...o.metadata, uid: 'u-1' } })) as KubeObject;
  if (managedFields) copy.metadata!.managedFields = managedFields as never;
  return copy;
};

const pod = (i: number): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: `pod-${i}`, namespace: 'sched-0' },
  spec: {
    containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '100m', memory: '500Mi' }, requests: { cpu: '100m', memory: '500Mi' } }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }],
    restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'default', serviceAccount: 'default', securityContext: {}, schedulerName: 'default-scheduler', priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
  },
  status: { phase: 'Pending', qosClass: 'Guaranteed' },
});

const running = (i: number) => ({
  phase: 'Running', qosClass: 'Guaranteed', hostIP: '10.128.0.1', hostIPs: [{ ip: '10.128.0.1' }], podIP: `10.128.${i % 250}.2`, podIPs: [{ ip: `10.128.${i % 250}.2` }], startTime: '2026-11-23T03:02:40Z',
  conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-23T03:02:40Z' })),
  containerStatuses: [{ name: 'pause', ready: true, started: true, restartCount: 0, image: 'registry.k8s.io/pause:3.10', imageID: '', containerID: 'containerd://1', state: { running: { startedAt: '2026-11-23T03:02:40Z' } }, lastState: {} }],
});

const node: KubeObject = {
  apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux' } },
  spec: { podCIDR: '10.128.0.0/24', podCIDRs: ['10.128.0.0/24'] },
  status: {
    capacity: { cpu: '4', memory: '32Gi', pods: '110' }, allocatable: { cpu: '4', memory: '32Gi', pods: '110' },
    conditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({ type, status: 'False', lastHeartbeatTime: '2026-11-23T03:02:27Z', lastTransitionTime: '2026-11-23T03:02:27Z', reason: 'KubeletReady', message: 'ok' })),
    addresses: [{ type: 'InternalIP', address: '10.128.0.1' }, { type: 'Hostname', address: 'node-1' }],
    nodeInfo: { kubeletVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64' }, phase: 'Running',
  },
};

const event = (i: number): KubeObject => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name: `pod-${i}.1`, namespace: 'sched-0' }, involvedObject: { kind: 'Pod', namespace: 'sched-0', name: `pod-${i}`, uid: 'u', apiVersion: 'v1', resourceVersion: '1' },
  reason: 'Scheduled', message: `Successfully assigned sched-0/pod-${i} to node-1`, source: { component: 'default-scheduler' }, firstTimestamp: null, lastTimestamp: null, type: 'Normal', eventTime: '2026-11-23T03:02:40.000000Z', reportingComponent: 'default-scheduler', reportingInstance: 'x', action: 'Binding',
} as KubeObject);

/** Inputs are prepared outside the timed loop: decoded JSON, as the server holds them. */
function time(name: string, prepare: (i: number) => () => void): void {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const calls = Array.from({ length: writesPerRound }, (_, i) => prepare(i));
    const start = performance.now();
    for (const call of calls) call();
    best = Math.min(best, ((performance.now() - start) * 1000) / writesPerRound);
  }
  console.log(`${name.padEnd(22)} ${best.toFixed(1).padStart(7)} µs/write`);
}

const created = (i: number) => stored(pod(i), write('Pod', undefined, pod(i), 'scheduler-perf'));
time('pod create', (i) => { const p = JSON.parse(JSON.stringify(pod(i))) as KubeObject; return () => write('Pod', undefined, p, 'scheduler-perf'); });
time('pod status (Running)', (i) => { const old = created(i); const next = { ...stored(old, old.metadata!.managedFields as never), status: running(i) } as KubeObject; return () => write('Pod', old, next, 'k8ts-sim', 'status'); });
time('event create', (i) => { const e = event(i); return () => write('Event', undefined, e, 'kube-scheduler'); });
// After the agent's first status write its status entry owns the heartbeat fields.
const createdNode = stored(node, write('Node', undefined, node, 'k8ts-sim'));
const beat = (o: KubeObject, at: string): KubeObject => {
  const next = stored(o, o.metadata!.managedFields as never);
  for (const c of (next.status as { conditions: { lastHeartbeatTime: string }[] }).conditions) c.lastHeartbeatTime = at;
  return next;
};
const firstBeat = beat(createdNode, '2026-11-23T03:02:30Z');
const liveNode = stored(firstBeat, write('Node', createdNode, firstBeat, 'k8ts-sim', 'status'));
time('node heartbeat', () => {
  const next = beat(liveNode, '2026-11-23T03:02:37Z');
  return () => write('Node', liveNode, next, 'k8ts-sim', 'status');
});
