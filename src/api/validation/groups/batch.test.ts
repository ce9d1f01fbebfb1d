import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { cronScheduleError } from './cron.js';
import { validateCronJobUpdate } from './cronjob.js';
import { groupValidators } from './index.js';

const run = (gk: string, obj: KubeObject) => groupValidators[gk]!.validate!(obj).map(formatFieldError);
const runUpdate = (gk: string, obj: KubeObject, old: KubeObject) => groupValidators[gk]!.validateUpdate!(obj, old).map(formatFieldError);

const UID = '1a2b3c';
const jobLabels = { 'controller-uid': UID, 'job-name': 'pi', 'batch.kubernetes.io/controller-uid': UID, 'batch.kubernetes.io/job-name': 'pi' };

function podTemplate(labels: Record<string, string> | undefined, restartPolicy = 'Never') {
  return {
    metadata: labels ? { labels } : {},
    spec: { restartPolicy, dnsPolicy: 'ClusterFirst', containers: [{ name: 'pi', image: 'perl', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }] },
  };
}

function job(spec: Record<string, unknown> = {}): KubeObject {
  return {
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: UID },
    spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } }, template: podTemplate(jobLabels), backoffLimit: 6, ...spec },
  };
}

test('a Job with a generated selector is valid', () => {
  assert.deepEqual(run('Job.batch', job()), []);
});

test('Job restartPolicy must be OnFailure or Never', () => {
  assert.deepEqual(run('Job.batch', job({ template: podTemplate(jobLabels, 'Always') })), [
    'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  ]);
});

test('Job counters must be non-negative; Indexed needs completions', () => {
  assert.deepEqual(run('Job.batch', job({ parallelism: -1, backoffLimit: -2, completionMode: 'Indexed' })), [
    'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
    'spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0',
    'spec.completions: Required value: when completion mode is Indexed',
  ]);
  assert.deepEqual(run('Job.batch', job({ completionMode: 'Sometimes' })), [
    'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
  ]);
});

test('manual selector must still match the template', () => {
  assert.deepEqual(run('Job.batch', job({ manualSelector: true, selector: { matchLabels: { app: 'z' } } })), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"1a2b3c", "batch.kubernetes.io/job-name":"pi", "controller-uid":"1a2b3c", "job-name":"pi"}: `selector` does not match template `labels`',
  ]);
});

test('pod failure policy basics', () => {
  const errs = run('Job.batch', job({ podFailurePolicy: { rules: [{ action: '', onExitCodes: { operator: 'In', values: [3, 1] } }] } }));
  assert.deepEqual(errs, [
    'spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
    'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{3, 1}: must be ordered',
  ]);
});

test('Job template is immutable', () => {
  const changed = job({ template: { ...podTemplate(jobLabels), spec: { ...podTemplate(jobLabels).spec, activeDeadlineSeconds: 5 } } });
  assert.deepEqual(runUpdate('Job.batch', changed, job()), ['spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable']);
  assert.deepEqual(runUpdate('Job.batch', job({ ttlSecondsAfterFinished: 100 }), job()), []);
});

function cronJob(spec: Record<string, unknown> = {}, name = 'hello'): KubeObject {
  return {
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: { schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', jobTemplate: { spec: { template: podTemplate(undefined, 'OnFailure') } }, ...spec },
  };
}

test('a valid CronJob', () => {
  assert.deepEqual(run('CronJob.batch', cronJob()), []);
  assert.deepEqual(run('CronJob.batch', cronJob({ schedule: '@hourly', timeZone: 'Europe/Berlin' })), []);
});

test('CronJob schedule errors carry robfig/cron messages', () => {
  assert.deepEqual(run('CronJob.batch', cronJob({ schedule: '' })), ['spec.schedule: Required value']);
  assert.deepEqual(run('CronJob.batch', cronJob({ schedule: 'error' })), ['spec.schedule: Invalid value: "error": expected exactly 5 fields, found 1: [error]']);
  assert.deepEqual(run('CronJob.batch', cronJob({ schedule: '61 * * * *' })), ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']);
  assert.deepEqual(run('CronJob.batch', cronJob({ schedule: 'TZ=UTC 0 * * * *' })), [
    'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  ]);
});

test('cron parser edge cases', () => {
  assert.equal(cronScheduleError('0 0 * * MON-FRI'), undefined);
  assert.equal(cronScheduleError('@every 1h30m'), undefined);
  assert.equal(cronScheduleError('@sometimes'), 'unrecognized descriptor: @sometimes');
  assert.equal(cronScheduleError('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.equal(cronScheduleError('*/0 * * * *'), 'step of range should be a positive number: */0');
  assert.equal(cronScheduleError('5-3 * * * *'), 'beginning of range (5) beyond end of range (3): 5-3');
});

test('CronJob time zone, concurrency policy, name length, job template selector', () => {
  assert.deepEqual(run('CronJob.batch', cronJob({ timeZone: 'Mars/Olympus' })), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
  assert.deepEqual(run('CronJob.batch', cronJob({ timeZone: 'Local' })), [
    'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
  ]);
  assert.deepEqual(run('CronJob.batch', cronJob({ concurrencyPolicy: 'Sometimes' })), [
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
  ]);
  const longName = 'a'.repeat(53);
  assert.deepEqual(run('CronJob.batch', cronJob({}, longName)), [`metadata.name: Invalid value: "${longName}": must be no more than 52 characters`]);
  const withSelector = cronJob({ jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template: podTemplate(undefined, 'OnFailure') } } });
  assert.deepEqual(run('CronJob.batch', withSelector), [
    'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
  ]);
});

test('CronJob update keeps a TZ= schedule the old object had', () => {
  const old = cronJob({ schedule: 'TZ=UTC 0 * * * *' });
  assert.deepEqual(validateCronJobUpdate(cronJob({ schedule: 'TZ=UTC 5 * * * *' }), old).map(formatFieldError), []);
});
