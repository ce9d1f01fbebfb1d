// batch/v1 defaults. A Job's pod template keeps the restartPolicy the user gave (validation
// insists on Never or OnFailure), so no restartPolicy is defaulted here beyond PodSpec's own.
import { isJsonObject, type KubeObject } from '../object.js';
import { asJson, childObject, ensureObject, isNil, mapSize, objectItems, setIfNil, setIfZero, type JsonObject } from './fields.js';
import { setPodTemplateSpecDefaults } from './pod.js';

const MAX_INT32 = 2147483647;

/** A Job without labels of its own takes its pod template's labels. */
export function setJobLabelDefaults(obj: KubeObject): void {
  const template = childObject(ensureObject(asJson(obj), 'spec'), 'template');
  const labels = template ? childObject(template, 'metadata')?.['labels'] : undefined;
  if (!isJsonObject(labels)) return;
  const metadata = (obj.metadata ??= {});
  if (mapSize(metadata.labels) === 0) metadata.labels = { ...(labels as Record<string, string>) };
}

/** Pod-condition patterns match status True unless they say otherwise (a type-level default). */
function setPodFailurePolicyDefaults(jobSpec: JsonObject): void {
  for (const rule of objectItems(childObject(jobSpec, 'podFailurePolicy'), 'rules')) {
    for (const pattern of objectItems(rule, 'onPodConditions')) setIfZero(pattern, 'status', 'True');
  }
}

function setJobDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  if (isNil(spec['completions']) && isNil(spec['parallelism'])) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  setIfNil(spec, 'parallelism', 1);
  // With per-index backoff the global limit is effectively disabled.
  setIfNil(spec, 'backoffLimit', isNil(spec['backoffLimitPerIndex']) ? 6 : MAX_INT32);
  setJobLabelDefaults(obj);
  setIfNil(spec, 'completionMode', 'NonIndexed');
  setIfNil(spec, 'suspend', false);

  setPodFailurePolicyDefaults(spec);
  // JobPodReplacementPolicy (beta, on): Failed when a pod failure policy is in play.
  const hasFailurePolicy = childObject(spec, 'podFailurePolicy') !== undefined;
  setIfNil(spec, 'podReplacementPolicy', hasFailurePolicy ? 'Failed' : 'TerminatingOrFailed');
  setIfNil(spec, 'manualSelector', false);
  setPodTemplateSpecDefaults(ensureObject(spec, 'template'));
}

/** CronJob: only its own fields; the embedded JobSpec is not given Job defaults upstream. */
function setCronJobDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  setIfZero(spec, 'concurrencyPolicy', 'Allow');
  setIfNil(spec, 'suspend', false);
  setIfNil(spec, 'successfulJobsHistoryLimit', 3);
  setIfNil(spec, 'failedJobsHistoryLimit', 1);
  const jobSpec = childObject(ensureObject(spec, 'jobTemplate'), 'spec');
  if (!jobSpec) return;
  setPodFailurePolicyDefaults(jobSpec);
  setPodTemplateSpecDefaults(ensureObject(jobSpec, 'template'));
}

export const batchDefaulters: Record<string, (obj: KubeObject) => void> = {
  'Job.batch': setJobDefaults,
  'CronJob.batch': setCronJobDefaults,
};
