// Oracle tests for whole pod templates: kubectl reads an object we serve as JSON into its Go
// types and writes a derived object back as protobuf. Its dry-run JSON (or the served object)
// is what our decoding must reproduce, field for field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { skipWithoutKubectl as skip, withServer } from './kubectl-oracle.js';
import { RICH_POD_SPEC } from './rich-pod-spec.js';

const RICH_CRONJOB = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'rich', namespace: 'default', uid: 'cron-uid', creationTimestamp: '2024-05-06T07:08:09Z' },
  spec: {
    schedule: '0 * * * *',
    timeZone: 'Etc/UTC',
    concurrencyPolicy: 'Forbid',
    suspend: false,
    startingDeadlineSeconds: 0,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
    jobTemplate: {
      metadata: { labels: { tier: 'batch' }, annotations: { note: 'rich' } },
      spec: {
        parallelism: 2,
        completions: 4,
        completionMode: 'Indexed',
        backoffLimit: 0,
        backoffLimitPerIndex: 1,
        maxFailedIndexes: 2,
        activeDeadlineSeconds: 900,
        ttlSecondsAfterFinished: 0,
        suspend: true,
        manualSelector: false,
        podReplacementPolicy: 'Failed',
        podFailurePolicy: {
          rules: [
            { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [1, 2] } },
            { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          ],
        },
        successPolicy: { rules: [{ succeededIndexes: '0-1', succeededCount: 1 }] },
        template: { metadata: { labels: { job: 'rich' } }, spec: RICH_POD_SPEC },
      },
    },
  },
};

test('kubectl create job --from=cronjob decodes a rich pod template to its dry-run JSON', { skip }, () =>
  withServer(async (server) => {
    server.objects.set('/apis/batch/v1/namespaces/default/cronjobs/rich', RICH_CRONJOB);
    const args = ['create', 'job', 'from-rich', '--from=cronjob/rich'];
    const expected = JSON.parse(await server.kubectl([...args, '--dry-run=client', '-o', 'json']));
    server.takeWrites();
    await server.kubectl(args);
    const writes = server.takeWrites();
    assert.equal(writes.length, 1);
    assert.equal(writes[0]!.contentType, 'application/vnd.kubernetes.protobuf');
    assert.deepEqual(writes[0]!.decoded, expected);
  }),
);
