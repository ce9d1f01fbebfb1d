import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../controllers/common/clock.js';
import { goDuration, imageId, restartBackoffMs, simulateDeletion, simulatePod, type SimResult } from './pod-status.js';

const start = Date.parse('2026-01-01T00:00:00Z');

function pod(restartPolicy: string, annotations: Record<string, string> = {}, extra: Partial<Pod['spec']> = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1', annotations },
    spec: { nodeName: 'n', restartPolicy, containers: [{ name: 'c', image: 'busybox:1.36' }], ...extra } as Pod['spec'],
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

/** Feeds each result back as the stored status, as the API would, at the clock's time. */
function step(p: Pod, clock: FakeClock): { pod: Pod; result: SimResult } {
  const result = simulatePod(p, { nowMs: clock.now(), hostIP: '10.244.0.1', podIP: '10.244.0.2' });
  return { pod: { ...p, status: result.status }, result };
}

const condition = (p: Pod, type: string): string | undefined => p.status?.conditions?.find((c) => c.type === type)?.status;

test('a new pod runs: Running, all conditions True, IPs, start time, a running container with a sim:// ID', () => {
  const clock = new FakeClock(start);
  const { pod: running, result } = step(pod('Always'), clock);
  assert.equal(result.wakeAtMs, undefined);
  const status = running.status!;
  assert.equal(status.phase, 'Running');
  assert.equal(status.qosClass, 'BestEffort');
  assert.equal(status.podIP, '10.244.0.2');
  assert.deepEqual(status.podIPs, [{ ip: '10.244.0.2' }]);
  assert.equal(status.hostIP, '10.244.0.1');
  assert.equal(status.startTime, '2026-01-01T00:00:00Z');
  assert.deepEqual(status.conditions?.map((c) => [c.type, c.status]), [
    ['PodReadyToStartContainers', 'True'],
    ['Initialized', 'True'],
    ['Ready', 'True'],
    ['ContainersReady', 'True'],
    ['PodScheduled', 'True'],
  ]);
  const container = status.containerStatuses![0]!;
  assert.deepEqual(container.state, { running: { startedAt: '2026-01-01T00:00:00Z' } });
  assert.equal(container.ready, true);
  assert.equal(container.started, true);
  assert.equal(container.restartCount, 0);
  assert.equal(container.image, 'busybox:1.36');
  assert.match(container.imageID, /^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
  assert.match(container.containerID!, /^sim:\/\/[0-9a-f]{64}$/);
});

test('a second look at an unchanged running pod reports the same status', () => {
  const clock = new FakeClock(start);
  const first = step(pod('Always'), clock);
  clock.step(30_000);
  const second = step(first.pod, clock);
  assert.deepEqual(second.pod.status, first.pod.status);
});

test('restartPolicy Never: exit code 0 after run-seconds ends Succeeded with a Completed container', () => {
  const clock = new FakeClock(start);
  let current = step(pod('Never', { 'sim.k8ts.io/run-seconds': '5' }), clock);
  assert.equal(current.result.wakeAtMs, start + 5_000);
  clock.step(4_000);
  current = step(current.pod, clock);
  assert.equal(current.pod.status?.phase, 'Running');
  clock.step(1_000);
  current = step(current.pod, clock);
  assert.equal(current.pod.status?.phase, 'Succeeded');
  assert.equal(current.result.terminal, true);
  assert.equal(current.pod.status?.reason, undefined);
  assert.deepEqual(current.pod.status?.containerStatuses?.[0]?.state?.terminated && { ...current.pod.status.containerStatuses[0].state.terminated, containerID: 'x' }, {
    exitCode: 0,
    reason: 'Completed',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:05Z',
    containerID: 'x',
  });
  assert.equal(condition(current.pod, 'Ready'), 'False');
  assert.equal(current.pod.status?.conditions?.find((c) => c.type === 'Ready')?.reason, 'PodCompleted');
  assert.equal(condition(current.pod, 'PodReadyToStartContainers'), 'False');
});

test('restartPolicy Never: a non-zero exit code ends Failed with an Error container', () => {
  const clock = new FakeClock(start);
  const first = step(pod('Never', { 'sim.k8ts.io/run-seconds': '2', 'sim.k8ts.io/exit-code': '3' }), clock);
  clock.step(10_000);
  const done = step(first.pod, clock);
  assert.equal(done.pod.status?.phase, 'Failed');
  assert.equal(done.pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);
  assert.equal(done.pod.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Error');
  assert.equal(done.pod.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt, '2026-01-01T00:00:02Z');
});

test('restartPolicy OnFailure: exit 0 succeeds, a failure restarts at once and then backs off 10 s, 20 s', () => {
  const clock = new FakeClock(start);
  const ok = step(pod('OnFailure', { 'sim.k8ts.io/run-seconds': '1' }), clock);
  clock.step(1_000);
  assert.equal(step(ok.pod, clock).pod.status?.phase, 'Succeeded');

  clock.set(start);
  let current = step(pod('OnFailure', { 'sim.k8ts.io/run-seconds': '1', 'sim.k8ts.io/exit-code': '1' }), clock);
  clock.step(1_000);
  current = step(current.pod, clock);
  let container = current.pod.status!.containerStatuses![0]!;
  assert.equal(current.pod.status?.phase, 'Running');
  assert.equal(container.restartCount, 1);
  assert.deepEqual(container.state, { running: { startedAt: '2026-01-01T00:00:01Z' } });
  assert.equal(container.lastState?.terminated?.exitCode, 1);
  assert.equal(container.lastState?.terminated?.reason, 'Error');
  assert.equal(current.result.wakeAtMs, start + 2_000);
  // The second exit waits out a 10 s back-off in CrashLoopBackOff.
  clock.step(1_000);
  current = step(current.pod, clock);
  container = current.pod.status!.containerStatuses![0]!;
  assert.equal(container.state?.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(container.state?.waiting?.message, 'back-off 10s restarting failed container=c pod=p_ns(u1)');
  assert.equal(container.ready, false);
  assert.equal(condition(current.pod, 'Ready'), 'False');
  assert.equal(current.pod.status?.conditions?.find((c) => c.type === 'ContainersReady')?.message, 'containers with unready status: [c]');
  assert.equal(current.result.wakeAtMs, start + 12_000);
  clock.step(10_000);
  current = step(current.pod, clock);
  container = current.pod.status!.containerStatuses![0]!;
  assert.equal(container.restartCount, 2);
  assert.equal(container.state?.running?.startedAt, '2026-01-01T00:00:12Z');
  assert.equal(condition(current.pod, 'Ready'), 'True');
});

test('restartPolicy Always restarts after exit code 0 too, with lastState terminated', () => {
  const clock = new FakeClock(start);
  const first = step(pod('Always', { 'sim.k8ts.io/run-seconds': '3' }), clock);
  clock.step(3_000);
  const second = step(first.pod, clock);
  const container = second.pod.status!.containerStatuses![0]!;
  assert.equal(second.pod.status?.phase, 'Running');
  assert.equal(container.restartCount, 1);
  assert.equal(container.lastState?.terminated?.reason, 'Completed');
  assert.notEqual(container.containerID, first.pod.status!.containerStatuses![0]!.containerID);
  assert.equal(container.lastState?.terminated?.containerID, first.pod.status!.containerStatuses![0]!.containerID);
});

test('an agent away for a long time replays exits and restarts up to now', () => {
  const clock = new FakeClock(start);
  const first = step(pod('Always', { 'sim.k8ts.io/run-seconds': '1' }), clock);
  // Runs end at 1, 2 (immediate restart), then back-offs of 10, 20, 40 s.
  clock.step(100_000);
  const later = step(first.pod, clock);
  assert.equal(later.pod.status!.containerStatuses![0]!.restartCount, 4);
});

test('sim.k8ts.io/not-ready keeps a running pod unready until it is removed', () => {
  const clock = new FakeClock(start);
  const unready = step(pod('Always', { 'sim.k8ts.io/not-ready': 'true' }), clock);
  assert.equal(unready.pod.status?.phase, 'Running');
  assert.equal(condition(unready.pod, 'Ready'), 'False');
  assert.equal(condition(unready.pod, 'ContainersReady'), 'False');
  assert.equal(unready.pod.status?.containerStatuses?.[0]?.ready, false);
  assert.equal(unready.pod.status?.containerStatuses?.[0]?.started, true);
  clock.step(5_000);
  const ready = step({ ...unready.pod, metadata: { ...unready.pod.metadata, annotations: {} } }, clock);
  assert.equal(condition(ready.pod, 'Ready'), 'True');
  assert.equal(ready.pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, '2026-01-01T00:00:05Z');
  assert.equal(ready.pod.status?.conditions?.find((c) => c.type === 'Initialized')?.lastTransitionTime, '2026-01-01T00:00:00Z');
});

test('init containers are reported Completed; readiness gates hold Ready back', () => {
  const clock = new FakeClock(start);
  const { pod: running } = step(pod('Always', {}, { initContainers: [{ name: 'init', image: 'busybox' }], readinessGates: [{ conditionType: 'example.com/gate' }] }), clock);
  const init = running.status!.initContainerStatuses![0]!;
  assert.equal(init.state?.terminated?.reason, 'Completed');
  assert.equal(init.state?.terminated?.exitCode, 0);
  assert.equal(condition(running, 'ContainersReady'), 'True');
  assert.equal(condition(running, 'Ready'), 'False');
  assert.equal(running.status?.conditions?.find((c) => c.type === 'Ready')?.reason, 'ReadinessGatesNotReady');
});

test('deletion kills running containers: Failed with exit code 137', () => {
  const clock = new FakeClock(start);
  const { pod: running } = step(pod('Always'), clock);
  clock.step(7_000);
  const deleted = simulateDeletion(running, { nowMs: clock.now(), hostIP: '10.244.0.1', podIP: '10.244.0.2' });
  assert.equal(deleted.status.phase, 'Failed');
  assert.equal(deleted.status.containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
  assert.equal(deleted.status.containerStatuses?.[0]?.state?.terminated?.finishedAt, '2026-01-01T00:00:07Z');
});

test('back-off and image helpers follow the kubelet and runtimes', () => {
  assert.deepEqual([0, 1, 2, 3, 5, 6, 10].map(restartBackoffMs), [0, 10_000, 20_000, 40_000, 160_000, 300_000, 300_000]);
  assert.deepEqual([10_000, 80_000, 300_000].map(goDuration), ['10s', '1m20s', '5m0s']);
  assert.match(imageId('registry.local:5000/team/app:v1'), /^registry\.local:5000\/team\/app@sha256:/);
  assert.match(imageId('team/app'), /^docker\.io\/team\/app@sha256:/);
  assert.equal(imageId('nginx@sha256:abc'), 'docker.io/library/nginx@sha256:abc');
});
