// CronJobs on simulated nodes: a "* * * * *" CronJob starts a Job at the next minute (the one slow
// test, up to ~65 s), and Jobs made with `kubectl create job --from=cronjob/x` are trimmed to the
// history limits. The tests share one cluster and run concurrently.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';


let cluster: TestCluster;
before(async () => {
  cluster = await startCluster({ extraArgs: ['--sim-nodes', '2'] });
});
after(async () => {
  await cluster?.destroy();
});

const waitFor = (args: string[], expected: RegExp, timeoutMs: number): Promise<string> => cluster.waitFor(args, expected, timeoutMs);

function cronJob(name: string, schedule: string, spec: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule,
      ...spec,
      jobTemplate: {
        metadata: { labels: { cron: name } },
        spec: { template: { metadata: { annotations: { 'sim.k8ts.io/run-seconds': '1' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'tick', image: 'registry.local/tick:v1' }] } } },
      },
    },
  });
}

async function events(name: string): Promise<string> {
  return cluster.ok(['get', 'events', '--field-selector', `involvedObject.kind=CronJob,involvedObject.name=${name}`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
}

describe('cronjobs', { concurrency: true }, () => {
  test('"* * * * *" starts a Job named after the scheduled minute and records it in status', async () => {
    await cluster.ok(['create', '-f', '-'], { input: cronJob('every-minute', '* * * * *') });
    const scheduled = await waitFor(['get', 'cronjob', 'every-minute', '-o', 'jsonpath={.status.lastScheduleTime}'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/, 75_000);
    const jobName = `every-minute-${Date.parse(scheduled) / 60_000}`;
    const annotation = await cluster.ok(['get', 'job', jobName, '-o', 'jsonpath={.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}']);
    assert.equal(annotation, scheduled);
    assert.equal(await cluster.ok(['get', 'job', jobName, '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}']), 'CronJob/every-minute');
    await cluster.ok(['wait', '--for=condition=complete', `job/${jobName}`, '--timeout=30s']);
    await waitFor(['get', 'cronjob', 'every-minute', '-o', 'jsonpath={.status.lastSuccessfulTime}'], /Z$/, 15_000);
    assert.equal(await cluster.ok(['get', 'cronjob', 'every-minute', '-o', 'jsonpath={.status.active}']), '');
    const seen = await events('every-minute');
    assert.match(seen, new RegExp(`SuccessfulCreate: Created job ${jobName}`));
    assert.match(seen, new RegExp(`SawCompletedJob: Saw completed job: ${jobName}, condition: Complete`));
  });

  test('jobs created with --from=cronjob are owned by it and trimmed to successfulJobsHistoryLimit', async () => {
    await cluster.ok(['create', '-f', '-'], { input: cronJob('yearly', '@yearly', { successfulJobsHistoryLimit: 1 }) });
    await cluster.ok(['create', 'job', '--from=cronjob/yearly', 'manual-1']);
    assert.equal(await cluster.ok(['get', 'job', 'manual-1', '-o', 'jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate} {.metadata.ownerReferences[0].name} {.metadata.labels.cron}']), 'manual yearly yearly');
    await cluster.ok(['wait', '--for=condition=complete', 'job/manual-1', '--timeout=30s']);
    await cluster.ok(['create', 'job', '--from=cronjob/yearly', 'manual-2']);
    await cluster.ok(['wait', '--for=condition=complete', 'job/manual-2', '--timeout=30s']);
    // Only the newest finished Job is kept.
    await waitFor(['get', 'jobs', '-l', 'cron=yearly', '-o', 'jsonpath={.items[*].metadata.name}'], /^manual-2$/, 15_000);
    assert.match(await events('yearly'), /SuccessfulDelete: Deleted job manual-1/);
    assert.equal(await cluster.ok(['get', 'cronjob', 'yearly', '-o', 'jsonpath={.status.lastScheduleTime}']), '');
  });

  test('a suspended CronJob starts nothing, and kubectl shows it suspended', async () => {
    await cluster.ok(['create', '-f', '-'], { input: cronJob('held', '* * * * *', { suspend: true }) });
    const row = await cluster.ok(['get', 'cronjob', 'held', '--no-headers']);
    assert.match(row, /^held\s+\* \* \* \* \*\s+<none>\s+True\s+0\s+<none>/);
    assert.equal(await cluster.ok(['get', 'jobs', '-l', 'cron=held', '-o', 'name']), '');
  });
});
