// apps/v1 defaults. Unlike the old extensions/apps beta versions, apps/v1 never derives
// selectors or object labels from the template; only the pod template gets PodSpec defaults.
import type { KubeObject } from '../object.js';
import { setPersistentVolumeClaimDefaults } from './core.js';
import { asJson, ensureObject, isNil, objectItems, setIfNil, setIfZero, type JsonObject } from './fields.js';
import { setPodTemplateSpecDefaults } from './pod.js';

const DEFAULT_REVISION_HISTORY_LIMIT = 10;

function setDeploymentDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  setIfNil(spec, 'replicas', 1);
  const strategy = ensureObject(spec, 'strategy');
  setIfZero(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const rollingUpdate = ensureObject(strategy, 'rollingUpdate');
    setIfNil(rollingUpdate, 'maxUnavailable', '25%');
    setIfNil(rollingUpdate, 'maxSurge', '25%');
  }
  setIfNil(spec, 'revisionHistoryLimit', DEFAULT_REVISION_HISTORY_LIMIT);
  setIfNil(spec, 'progressDeadlineSeconds', 600);
  setPodTemplateSpecDefaults(ensureObject(spec, 'template'));
}

function setReplicaSetDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  setIfNil(spec, 'replicas', 1);
  setPodTemplateSpecDefaults(ensureObject(spec, 'template'));
}

function setDaemonSetDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  const updateStrategy = ensureObject(spec, 'updateStrategy');
  setIfZero(updateStrategy, 'type', 'RollingUpdate');
  if (updateStrategy['type'] === 'RollingUpdate') {
    const rollingUpdate = ensureObject(updateStrategy, 'rollingUpdate');
    setIfNil(rollingUpdate, 'maxUnavailable', 1);
    setIfNil(rollingUpdate, 'maxSurge', 0);
  }
  setIfNil(spec, 'revisionHistoryLimit', DEFAULT_REVISION_HISTORY_LIMIT);
  setPodTemplateSpecDefaults(ensureObject(spec, 'template'));
}

function setStatefulSetDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  setIfZero(spec, 'podManagementPolicy', 'OrderedReady');

  const updateStrategy = ensureObject(spec, 'updateStrategy');
  if (isNil(updateStrategy['type']) || updateStrategy['type'] === '') {
    updateStrategy['type'] = 'RollingUpdate';
    // Only a freshly defaulted strategy gets a rollingUpdate block; an explicit
    // RollingUpdate without one stays without one.
    setIfNil(updateStrategy, 'rollingUpdate', {});
  }
  const rollingUpdate = updateStrategy['rollingUpdate'];
  if (updateStrategy['type'] === 'RollingUpdate' && rollingUpdate && typeof rollingUpdate === 'object') {
    setIfNil(rollingUpdate as JsonObject, 'partition', 0);
  }

  // StatefulSetAutoDeletePVC (on by default since 1.27).
  const retention = ensureObject(spec, 'persistentVolumeClaimRetentionPolicy');
  setIfZero(retention, 'whenDeleted', 'Retain');
  setIfZero(retention, 'whenScaled', 'Retain');

  setIfNil(spec, 'replicas', 1);
  setIfNil(spec, 'revisionHistoryLimit', DEFAULT_REVISION_HISTORY_LIMIT);
  setPodTemplateSpecDefaults(ensureObject(spec, 'template'));
  for (const claim of objectItems(spec, 'volumeClaimTemplates')) setPersistentVolumeClaimDefaults(claim);
}

export const appsDefaulters: Record<string, (obj: KubeObject) => void> = {
  'Deployment.apps': setDeploymentDefaults,
  'ReplicaSet.apps': setReplicaSetDefaults,
  'DaemonSet.apps': setDaemonSetDefaults,
  'StatefulSet.apps': setStatefulSetDefaults,
};
