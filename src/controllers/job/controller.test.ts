import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobCompletionIndexAnnotation, jobTrackingFinalizer } from './constants.js';
import { FakeJobCluster, simpleJob } from './fake-cluster.test-support.js';
import type { Job } from './types.js';

function conditionTypes(job: Job): string[] {
  return (job.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type);
}

test('a Job creates parallelism pods with the tracking finalizer, owner reference and generated names', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob({ completions: 3, parallelism: 2 }));
  await cluster.sync();
  const pods = cluster.podList();
  assert.equal(pods.length, 2);
  for (const pod of pods) {
    assert.match(pod.metadata?.name ?? '', /^j-/);
    assert.deepEqual(pod.metadata?.finalizers, [jobTrackingFinalizer]);
    assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, 'Job');
    assert.equal(pod.metadata?.ownerReferences?.[0]?.controller, true);
    assert.equal(pod.metadata?.labels?.['batch.kubernetes.io/job-name'], 'j');
  }
  const job = cluster.job();
  assert.equal(job.status?.active, 2);
  assert.equal(job.status?.ready, 0);
  assert.equal(job.status?.startTime, '2024-01-01T00:00:00Z');
  assert.deepEqual(cluster.recorder.events.filter((e) => e.includes('SuccessfulCreate')).length, 2);
  assert.match(cluster.recorder.events[0]!, /^Normal SuccessfulCreate Created pod: j-/);
});

test('succeeded pods are counted through uncountedTerminatedPods and the Job completes', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob({ completions: 2, parallelism: 2 }));
  await cluster.sync();
  for (const pod of cluster.podList()) cluster.finishPod(pod.metadata!.name!, 0);
  await cluster.sync();
  let job = cluster.job();
  // Finalizers are off, the pods counted, and the success criteria recorded before Complete.
  assert.equal(job.status?.succeeded, 2);
  assert.deepEqual(job.status?.uncountedTerminatedPods, {});
  assert.ok(cluster.podList().every((pod) => (pod.metadata?.finalizers ?? []).length === 0));
  assert.deepEqual(conditionTypes(job), ['SuccessCriteriaMet', 'Complete']);
  const complete = job.status?.conditions?.find((c) => c.type === 'Complete');
  assert.equal(complete?.reason, 'CompletionsReached');
  assert.equal(complete?.message, 'Reached expected number of succeeded pods');
  assert.equal(job.status?.completionTime, '2024-01-01T00:00:00Z');
  assert.ok(cluster.recorder.events.includes('Normal Completed Job completed'));
  // A finished Job is left alone.
  await cluster.sync();
  job = cluster.job();
  assert.equal(cluster.podList().length, 2);
});

test('the work-queue pattern (no completions) stops creating pods after a success and completes when none run', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob({ completions: undefined, parallelism: 2 }));
  await cluster.sync();
  const [first, second] = cluster.podList();
  cluster.finishPod(first!.metadata!.name!, 0);
  await cluster.sync();
  assert.equal(cluster.podList().length, 2, 'no replacement after a success');
  assert.deepEqual(conditionTypes(cluster.job()), []);
  cluster.finishPod(second!.metadata!.name!, 0);
  await cluster.sync();
  assert.deepEqual(conditionTypes(cluster.job()), ['SuccessCriteriaMet', 'Complete']);
  assert.equal(cluster.job().status?.succeeded, 2);
});

test('Indexed Jobs give each pod its index: annotation, label, hostname, env and name', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob({ completions: 3, parallelism: 3, completionMode: 'Indexed' }));
  await cluster.sync();
  const pods = cluster.podList().sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
  assert.deepEqual(
    pods.map((p) => p.metadata?.annotations?.[jobCompletionIndexAnnotation]),
    ['0', '1', '2'],
  );
  for (const [i, pod] of pods.entries()) {
    assert.match(pod.metadata!.name!, new RegExp(`^j-${i}-`));
    assert.equal(pod.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], String(i));
    assert.equal(pod.spec?.hostname, `j-${i}`);
    assert.deepEqual(pod.spec?.containers[0]?.env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
  }
  cluster.finishPod(pods[0]!.metadata!.name!, 0);
  cluster.finishPod(pods[2]!.metadata!.name!, 0);
  await cluster.sync();
  assert.equal(cluster.job().status?.completedIndexes, '0,2');
  cluster.finishPod(pods[1]!.metadata!.name!, 0);
  await cluster.sync();
  assert.equal(cluster.job().status?.completedIndexes, '0-2');
  assert.equal(cluster.job().status?.succeeded, 3);
  assert.deepEqual(conditionTypes(cluster.job()), ['SuccessCriteriaMet', 'Complete']);
});

test('a failed pod is replaced only after the back-off, which doubles per failure', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob({ backoffLimit: 5 }));
  await cluster.sync();
  cluster.finishPod(cluster.podList()[0]!.metadata!.name!, 1);
  await cluster.sync();
  assert.equal(cluster.job().status?.failed, 1);
  assert.equal(cluster.podList().length, 1, 'no replacement yet');
  assert.deepEqual(cluster.delayed.at(-1), { key: 'ns/j', delayMs: 10_000 });
  cluster.clock.step(10_000);
  await cluster.sync();
  assert.equal(cluster.podList().length, 2, 'replaced after 10 s');
  const replacement = cluster.podList().find((p) => p.status?.phase === 'Pending')!;
  cluster.finishPod(replacement.metadata!.name!, 1);
  await cluster.sync();
  assert.equal(cluster.job().status?.failed, 2);
  assert.deepEqual(cluster.delayed.at(-1), { key: 'ns/j', delayMs: 20_000 });
});

test('exceeding backoffLimit fails the Job: FailureTarget first, Failed once no pod is left running', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob({ backoffLimit: 0, parallelism: 2, completions: 2 }));
  await cluster.sync();
  const [failing, running] = cluster.podList();
  cluster.runPod(running!.metadata!.name!);
  cluster.finishPod(failing!.metadata!.name!, 1);
  await cluster.sync();
  let job = cluster.job();
  assert.deepEqual(conditionTypes(job), ['FailureTarget']);
  assert.equal(job.status?.terminating, 1, 'the running pod is being deleted');
  assert.ok(cluster.recorder.events.some((e) => e.startsWith('Normal SuccessfulDelete Deleted pod: ')));
  cluster.completeDeletion(running!.metadata!.name!);
  await cluster.sync();
  job = cluster.job();
  assert.deepEqual(conditionTypes(job), ['FailureTarget', 'Failed']);
  const failed = job.status?.conditions?.find((c) => c.type === 'Failed');
  assert.equal(failed?.reason, 'BackoffLimitExceeded');
  assert.equal(failed?.message, 'Job has reached the specified backoff limit');
  assert.equal(job.status?.failed, 2);
  assert.equal(job.status?.active, 0);
  assert.ok(cluster.recorder.events.includes('Warning BackoffLimitExceeded Job has reached the specified backoff limit'));
  // The failed pod stays (for logs) without our finalizer; the running one is gone.
  assert.deepEqual(cluster.podList().map((p) => [p.status?.phase, p.metadata?.finalizers ?? []]), [['Failed', []]]);
});

test('activeDeadlineSeconds fails the Job with DeadlineExceeded and requeues for the deadline', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob({ activeDeadlineSeconds: 30 }));
  await cluster.sync();
  assert.deepEqual(cluster.delayed.at(-1), { key: 'ns/j', delayMs: 30_000 });
  cluster.clock.step(30_000);
  await cluster.sync();
  await cluster.sync();
  const job = cluster.job();
  assert.deepEqual(conditionTypes(job), ['FailureTarget', 'Failed']);
  assert.equal(job.status?.conditions?.find((c) => c.type === 'Failed')?.reason, 'DeadlineExceeded');
  assert.ok(cluster.recorder.events.includes('Warning DeadlineExceeded Job was active longer than specified deadline'));
});

test('pod failure policy: Ignore does not count, FailJob fails the Job with the rule in the message', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(
    simpleJob({
      backoffLimit: 0,
      podReplacementPolicy: 'Failed',
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } },
          { action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } },
        ],
      },
    }),
  );
  await cluster.sync();
  cluster.finishPod(cluster.podList()[0]!.metadata!.name!, 3);
  await cluster.sync();
  assert.equal(cluster.job().status?.failed ?? 0, 0, 'ignored failure not counted');
  assert.deepEqual(conditionTypes(cluster.job()), []);
  // As upstream, the back-off does not look at the policy: an ignored failure still delays the replacement.
  cluster.clock.step(10_000);
  await cluster.sync();
  const replacement = cluster.podList().find((p) => p.status?.phase === 'Pending')!;
  assert.ok(replacement, 'ignored failure replaced');
  cluster.finishPod(replacement.metadata!.name!, 42);
  await cluster.sync();
  await cluster.sync();
  const failed = cluster.job().status?.conditions?.find((c) => c.type === 'Failed');
  assert.equal(failed?.reason, 'PodFailurePolicy');
  assert.equal(failed?.message, `Container c for pod ns/${replacement.metadata!.name} failed with exit code 42 matching FailJob rule at index 1`);
});

test('suspending deletes the active pods and sets Suspended; resuming restarts them and the start time', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob({ parallelism: 2, completions: 4 }));
  await cluster.sync();
  const suspended = structuredClone(cluster.job());
  suspended.spec!.suspend = true;
  cluster.jobs.store.upsert(suspended);
  await cluster.sync();
  let job = cluster.job();
  assert.equal(job.status?.active, 0);
  assert.equal(cluster.podList().length, 0, 'finalizer removed, pods deleted');
  assert.deepEqual(
    job.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
    [['Suspended', 'True', 'JobSuspended', 'Job suspended']],
  );
  assert.ok(cluster.recorder.events.includes('Normal Suspended Job suspended'));
  cluster.clock.step(60_000);
  const resumed = structuredClone(cluster.job());
  resumed.spec!.suspend = false;
  cluster.jobs.store.upsert(resumed);
  await cluster.sync();
  job = cluster.job();
  assert.equal(cluster.podList().length, 2);
  assert.deepEqual(job.status?.conditions?.map((c) => [c.type, c.status, c.reason]), [['Suspended', 'False', 'JobResumed']]);
  assert.equal(job.status?.startTime, '2024-01-01T00:01:00Z');
  assert.ok(cluster.recorder.events.includes('Normal Resumed Job resumed'));
});

test('a Job created suspended gets no start time and no pods', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob({ suspend: true }));
  await cluster.sync();
  assert.equal(cluster.podList().length, 0);
  assert.equal(cluster.job().status?.startTime, undefined);
  assert.deepEqual(conditionTypes(cluster.job()), ['Suspended']);
});

test('backoffLimitPerIndex fails only the index that ran out, and the Job ends with FailedIndexes', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob({ completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 0, backoffLimit: 2147483647 }));
  await cluster.sync();
  const byIndex = (i: number) => cluster.podList().find((p) => p.metadata?.annotations?.[jobCompletionIndexAnnotation] === String(i))!;
  cluster.finishPod(byIndex(0).metadata!.name!, 1);
  cluster.finishPod(byIndex(1).metadata!.name!, 0);
  await cluster.sync();
  await cluster.sync();
  const job = cluster.job();
  assert.equal(job.status?.failedIndexes, '0');
  assert.equal(job.status?.completedIndexes, '1');
  assert.equal(job.status?.conditions?.find((c) => c.type === 'Failed')?.reason, 'FailedIndexes');
});

test('the orphan worker takes the tracking finalizer off a pod whose Job is gone, and only then', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob());
  await cluster.sync();
  const pod = cluster.podList()[0]!;
  await cluster.controller.syncOrphanPod(`ns/${pod.metadata!.name}`);
  assert.deepEqual(cluster.podList()[0]!.metadata?.finalizers, [jobTrackingFinalizer], 'a running Job keeps counting its pod');
  cluster.jobs.store.delete('ns/j');
  await cluster.controller.syncOrphanPod(`ns/${pod.metadata!.name}`);
  assert.deepEqual(cluster.podList()[0]!.metadata?.finalizers, []);
});

test('a deleted Job forgets its expectations and back-off', async () => {
  const cluster = new FakeJobCluster();
  cluster.addJob(simpleJob());
  await cluster.sync();
  cluster.jobs.store.delete('ns/j');
  await cluster.sync();
  assert.equal(cluster.controller.deps.expectations.satisfiedExpectations('ns/j'), true);
  assert.equal(cluster.controller.deps.backoff.get('ns/j'), undefined);
});
