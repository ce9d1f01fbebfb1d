import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../object.js';
import { podPrinter } from './pod.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const MIN = 60_000;

function pod(spec: Partial<NonNullable<Pod['spec']>>, status: NonNullable<Pod['status']>, meta: Partial<NonNullable<Pod['metadata']>> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(3 * 60 * MIN), ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
    status,
  } as unknown as KubeObject;
}

/** READY, STATUS, RESTARTS, AGE — the default columns. */
const brief = (p: KubeObject): unknown[] => podPrinter.cells(p, now).slice(1, 5);

const running = { running: { startedAt: ago(60 * MIN) } };

test('a running pod with restarts shows when the last restart was', () => {
  const p = pod(
    { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] },
    {
      phase: 'Running',
      containerStatuses: [
        { name: 'a', image: 'x', imageID: '', ready: true, restartCount: 1, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(10 * MIN) } } },
        { name: 'b', image: 'y', imageID: '', ready: true, restartCount: 2, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * MIN) } } },
      ],
    },
  );
  assert.deepEqual(brief(p), ['2/2', 'Running', '3 (2m ago)', '3h']);
});

test('waiting reasons replace the phase', () => {
  const crash = pod({}, {
    phase: 'Running',
    containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 5,
      state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(30_000) } } }],
  });
  assert.deepEqual(brief(crash), ['0/1', 'CrashLoopBackOff', '5 (30s ago)', '3h']);

  const pulling = pod({}, {
    phase: 'Pending',
    containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
  });
  assert.deepEqual(brief(pulling), ['0/1', 'ContainerCreating', '0', '3h']);

  const unscheduled = pod({}, { phase: 'Pending' });
  assert.deepEqual(brief(unscheduled), ['0/1', 'Pending', '0', '3h']);
});

test('terminated containers without a reason show the signal or exit code', () => {
  const byCode = pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137 } } }] });
  assert.equal(brief(byCode)[1], 'ExitCode:137');
  const bySignal = pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 143, signal: 15 } } }] });
  assert.equal(brief(bySignal)[1], 'Signal:15');
});

const twoInits = { initContainers: [{ name: 'i0', image: 'busybox' }, { name: 'i1', image: 'busybox' }] };

test('init container progress and failures', () => {
  const progressing = pod(twoInits, {
    phase: 'Pending',
    initContainerStatuses: [
      { name: 'i0', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'i1', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: running },
    ],
    containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
  });
  assert.deepEqual(brief(progressing), ['0/1', 'Init:1/2', '0', '3h']);

  const crashing = pod(twoInits, {
    phase: 'Pending',
    initContainerStatuses: [
      { name: 'i0', image: 'busybox', imageID: '', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(MIN) } } },
      { name: 'i1', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
    ],
  });
  assert.deepEqual(brief(crashing), ['0/1', 'Init:CrashLoopBackOff', '4 (60s ago)', '3h']);

  const failedWithReason = pod(twoInits, { phase: 'Failed', initContainerStatuses: [
    { name: 'i0', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error' } } },
  ] });
  assert.equal(brief(failedWithReason)[1], 'Init:Error');
  const killed = pod(twoInits, { phase: 'Pending', initContainerStatuses: [
    { name: 'i0', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } },
  ] });
  assert.equal(brief(killed)[1], 'Init:Signal:9');
  const exited = pod(twoInits, { phase: 'Pending', initContainerStatuses: [
    { name: 'i0', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } },
  ] });
  assert.equal(brief(exited)[1], 'Init:ExitCode:3');

  const initsDone = pod(twoInits, {
    phase: 'Pending',
    initContainerStatuses: ['i0', 'i1'].map((name) => ({ name, image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } })),
    containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
  });
  assert.deepEqual(brief(initsDone), ['0/1', 'PodInitializing', '0', '3h']);
});

test('completed, evicted and gated pods', () => {
  const done = pod({}, { phase: 'Succeeded', containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  assert.deepEqual(brief(done), ['0/1', 'Completed', '0', '3h']);
  assert.deepEqual(podPrinter.rowConditions?.(done), [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);

  const evicted = pod({}, { phase: 'Failed', reason: 'Evicted', message: 'low on memory' });
  assert.deepEqual(brief(evicted), ['0/1', 'Evicted', '0', '3h']);
  assert.equal(podPrinter.rowConditions?.(evicted)?.[0]?.reason, 'Failed');

  const gated = pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
  assert.deepEqual(brief(gated), ['0/1', 'SchedulingGated', '0', '3h']);
  assert.equal(podPrinter.rowConditions?.(gated), undefined);
});

test('a finished first container does not hide running ones', () => {
  const statuses = [
    { name: 'job', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    { name: 'web', image: 'y', imageID: '', ready: true, restartCount: 0, state: running },
  ];
  const spec = { containers: [{ name: 'job', image: 'x' }, { name: 'web', image: 'y' }] };
  const ready = pod(spec, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses });
  assert.deepEqual(brief(ready), ['1/2', 'Running', '0', '3h']);
  const notReady = pod(spec, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: statuses });
  assert.deepEqual(brief(notReady), ['1/2', 'NotReady', '0', '3h']);
});

test('deletion shows Terminating, or Unknown for lost nodes, but not for finished pods', () => {
  const deletion = { deletionTimestamp: ago(5_000) };
  const status = { phase: 'Running', containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: true, restartCount: 0, state: running }] };
  assert.equal(brief(pod({}, status, deletion))[1], 'Terminating');
  assert.equal(brief(pod({}, { ...status, reason: 'NodeLost' }, deletion))[1], 'Unknown');
  const done = { phase: 'Succeeded', containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] };
  assert.equal(brief(pod({}, done, deletion))[1], 'Completed');
});

test('sidecar containers count towards READY and RESTARTS', () => {
  const p = pod(
    { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
    {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', image: 'envoy', imageID: '', ready: true, started: true, restartCount: 2, state: running,
        lastState: { terminated: { exitCode: 1, finishedAt: ago(20 * MIN) } } }],
      containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: true, restartCount: 0, state: running }],
    },
  );
  assert.deepEqual(brief(p), ['2/2', 'Running', '2 (20m ago)', '3h']);

  const starting = pod(
    { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
    { phase: 'Pending', initContainerStatuses: [{ name: 'proxy', image: 'envoy', imageID: '', ready: false, started: false, restartCount: 0, state: running }] },
  );
  assert.deepEqual(brief(starting), ['0/2', 'Init:0/1', '0', '3h']);
});

test('wide columns: IP, node, nominated node, readiness gates', () => {
  const p = pod(
    { nodeName: 'worker-1', readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
    { phase: 'Running', podIP: '10.0.0.9', podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00::5' }], conditions: [{ type: 'example.com/lb', status: 'True' }] },
  );
  assert.deepEqual(podPrinter.cells(p, now).slice(5), ['10.244.1.5', 'worker-1', '<none>', '1/2']);
  const fresh = pod({}, { phase: 'Pending', nominatedNodeName: 'worker-2' });
  assert.deepEqual(podPrinter.cells(fresh, now).slice(5), ['<none>', '<none>', 'worker-2', '<none>']);
  const legacy = pod({}, { phase: 'Running', podIP: '10.1.1.1' });
  assert.equal(podPrinter.cells(legacy, now)[5], '10.1.1.1');
  assert.equal(podPrinter.columns.length, podPrinter.cells(p, now).length);
  assert.deepEqual(podPrinter.columns.map((c) => [c.name, c.priority]), [
    ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0],
    ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
  ]);
});
