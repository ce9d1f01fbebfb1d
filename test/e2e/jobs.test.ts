// Jobs on simulated nodes (src/sim): the job controller creates pods, counts them with the
// job-tracking finalizer and finishes the Job as upstream does; the TTL-after-finished controller
// deletes finished Jobs. The tests share one cluster and run concurrently to stay short.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';

/** A Job's pods run about a second here; failures add the 10 s pod back-off. */
const waitMs = 45_000;

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster({ extraArgs: ['--sim-nodes', '2'] });
});
after(async () => {
  await cluster?.destroy();
});

const waitFor = (args: string[], expected: RegExp, timeoutMs = waitMs): Promise<string> => cluster.waitFor(args, expected, timeoutMs);

function job(name: string, spec: Record<string, unknown>, annotations: Record<string, string> = { 'sim.k8ts.io/run-seconds': '1' }, restartPolicy = 'Never'): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      ...spec,
      template: { metadata: { annotations }, spec: { restartPolicy, containers: [{ name: 'work', image: 'registry.local/work:v1' }] } },
    },
  });
}

async function events(name: string): Promise<string> {
  return cluster.ok(['get', 'events', '--field-selector', `involvedObject.kind=Job,involvedObject.name=${name}`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
}

describe('jobs', { concurrency: true }, () => {
  test('completions 3, parallelism 2: the Job completes and kubectl wait and describe see it', async () => {
    await cluster.ok(['create', '-f', '-'], { input: job('three', { completions: 3, parallelism: 2 }) });
    await cluster.ok(['wait', '--for=condition=complete', 'job/three', '--timeout=60s']);
    const status = JSON.parse(await cluster.ok(['get', 'job', 'three', '-o', 'jsonpath={.status}']));
    assert.equal(status.succeeded, 3);
    assert.equal(status.active ?? 0, 0);
    assert.equal(status.ready, 0);
    assert.equal(status.terminating, 0);
    assert.deepEqual(status.uncountedTerminatedPods, {});
    assert.ok(status.completionTime && status.startTime);
    assert.deepEqual(
      status.conditions.map((c: { type: string; reason: string }) => `${c.type}/${c.reason}`),
      ['SuccessCriteriaMet/CompletionsReached', 'Complete/CompletionsReached'],
    );
    const pods = (await cluster.ok(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=three', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.metadata.finalizers}{"\\n"}{end}'])).trim().split('\n');
    assert.equal(pods.length, 3);
    // Counted pods keep no tracking finalizer.
    for (const line of pods) assert.match(line.trim(), /^three-[a-z0-9]{5} Succeeded$/);
    const describe = await cluster.ok(['describe', 'job', 'three']);
    assert.match(describe, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 3 Succeeded \/ 0 Failed/);
    assert.match(describe, /Completions:\s+3/);
    const seen = await events('three');
    assert.equal(seen.match(/SuccessfulCreate: Created pod: three-/g)?.length, 3);
    assert.match(seen, /Completed: Job completed/);
  });

  test('an Indexed Job runs one pod per index and reports the completed indexes', async () => {
    await cluster.ok(['create', '-f', '-'], { input: job('indexed', { completions: 3, parallelism: 3, completionMode: 'Indexed' }) });
    await cluster.ok(['wait', '--for=condition=complete', 'job/indexed', '--timeout=60s']);
    assert.equal(await cluster.ok(['get', 'job', 'indexed', '-o', 'jsonpath={.status.completedIndexes}']), '0-2');
    const pods = (
      await cluster.ok([
        'get', 'pods', '-l', 'batch.kubernetes.io/job-name=indexed', '--sort-by=.metadata.annotations.batch\\.kubernetes\\.io/job-completion-index',
        '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.annotations.batch\\.kubernetes\\.io/job-completion-index} {.metadata.labels.batch\\.kubernetes\\.io/job-completion-index} {.spec.hostname} {.spec.containers[0].env[0].name}{"\\n"}{end}',
      ])
    ).trim().split('\n');
    assert.equal(pods.length, 3);
    pods.forEach((line, i) => assert.match(line, new RegExp(`^indexed-${i}-[a-z0-9]{5} ${i} ${i} indexed-${i} JOB_COMPLETION_INDEX$`)));
  });

  test('a failing Job stops at backoffLimit: Failed with BackoffLimitExceeded', async () => {
    await cluster.ok(['create', '-f', '-'], { input: job('failing', { backoffLimit: 1 }, { 'sim.k8ts.io/run-seconds': '1', 'sim.k8ts.io/exit-code': '3' }) });
    await cluster.ok(['wait', '--for=condition=failed', 'job/failing', '--timeout=60s']);
    const status = JSON.parse(await cluster.ok(['get', 'job', 'failing', '-o', 'jsonpath={.status}']));
    assert.equal(status.failed, 2, 'the first failure and its retry after the back-off');
    const failed = status.conditions.find((c: { type: string }) => c.type === 'Failed');
    assert.equal(failed.reason, 'BackoffLimitExceeded');
    assert.equal(failed.message, 'Job has reached the specified backoff limit');
    assert.ok(status.conditions.some((c: { type: string }) => c.type === 'FailureTarget'));
    assert.match(await events('failing'), /BackoffLimitExceeded: Job has reached the specified backoff limit/);
  });

  test('with restartPolicy OnFailure, container restarts count against backoffLimit', async () => {
    await cluster.ok(['create', '-f', '-'], { input: job('restarting', { backoffLimit: 1 }, { 'sim.k8ts.io/run-seconds': '1', 'sim.k8ts.io/exit-code': '1' }, 'OnFailure') });
    await cluster.ok(['wait', '--for=condition=failed', 'job/restarting', '--timeout=60s']);
    assert.equal(await cluster.ok(['get', 'job', 'restarting', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}']), 'BackoffLimitExceeded');
  });

  test('activeDeadlineSeconds ends a running Job with DeadlineExceeded and deletes its pods', async () => {
    await cluster.ok(['create', '-f', '-'], { input: job('deadline', { activeDeadlineSeconds: 2, parallelism: 2, completions: 2 }, {}) });
    await cluster.ok(['wait', '--for=condition=failed', 'job/deadline', '--timeout=60s']);
    assert.equal(await cluster.ok(['get', 'job', 'deadline', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}']), 'DeadlineExceeded');
    await waitFor(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=deadline', '-o', 'name'], /^$/);
    assert.match(await events('deadline'), /DeadlineExceeded: Job was active longer than specified deadline/);
  });

  test('a suspended Job runs nothing until resumed', async () => {
    await cluster.ok(['create', '-f', '-'], { input: job('paused', { suspend: true, completions: 2, parallelism: 2 }) });
    await waitFor(['get', 'job', 'paused', '-o', 'jsonpath={.status.conditions[?(@.type=="Suspended")].status}'], /^True$/);
    assert.equal(await cluster.ok(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=paused', '-o', 'name']), '');
    assert.equal(await cluster.ok(['get', 'job', 'paused', '-o', 'jsonpath={.status.startTime}']), '');
    await cluster.ok(['patch', 'job', 'paused', '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    await cluster.ok(['wait', '--for=condition=complete', 'job/paused', '--timeout=60s']);
    assert.equal(await cluster.ok(['get', 'job', 'paused', '-o', 'jsonpath={.status.conditions[?(@.type=="Suspended")].reason}']), 'JobResumed');
    const seen = await events('paused');
    assert.match(seen, /Suspended: Job suspended/);
    assert.match(seen, /Resumed: Job resumed/);
  });

  test('without completions (work queue) the Job completes once a pod succeeded and none runs', async () => {
    await cluster.ok(['create', '-f', '-'], { input: job('queue', { parallelism: 2 }) });
    assert.equal(await cluster.ok(['get', 'job', 'queue', '-o', 'jsonpath={.spec.completions}']), '');
    await cluster.ok(['wait', '--for=condition=complete', 'job/queue', '--timeout=60s']);
    assert.equal(await cluster.ok(['get', 'job', 'queue', '-o', 'jsonpath={.status.succeeded}']), '2');
  });

  test('a FailJob rule of the pod failure policy fails the Job at the first matching exit code', async () => {
    const spec = { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'work', operator: 'In', values: [42] } }] } };
    await cluster.ok(['create', '-f', '-'], { input: job('policy', spec, { 'sim.k8ts.io/run-seconds': '1', 'sim.k8ts.io/exit-code': '42' }) });
    await cluster.ok(['wait', '--for=condition=failed', 'job/policy', '--timeout=60s']);
    const failed = JSON.parse(await cluster.ok(['get', 'job', 'policy', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")]}']));
    assert.equal(failed.reason, 'PodFailurePolicy');
    assert.match(failed.message, /^Container work for pod default\/policy-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 0$/);
    assert.equal(await cluster.ok(['get', 'job', 'policy', '-o', 'jsonpath={.status.failed}']), '1');
  });

  test('ttlSecondsAfterFinished deletes the finished Job and its pods', async () => {
    await cluster.ok(['create', '-f', '-'], { input: job('short-lived', { ttlSecondsAfterFinished: 1 }) });
    await waitFor(['get', 'jobs', '-o', 'name'], /job\.batch\/short-lived/);
    await waitFor(['get', 'jobs', '-o', 'name'], /^(?![\s\S]*short-lived)/);
    await waitFor(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=short-lived', '-o', 'name'], /^$/);
  });
});
