import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError, formatFieldErrors } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { groupValidators } from './index.js';

const v = (gk: string) => groupValidators[gk]!;
const run = (gk: string, obj: KubeObject) => v(gk).validate!(obj).map(formatFieldError);
const runUpdate = (gk: string, obj: KubeObject, old: KubeObject) => v(gk).validateUpdate!(obj, old).map(formatFieldError);

const template = (labels: Record<string, string> | undefined, restartPolicy = 'Always') => ({
  metadata: labels ? { labels } : {},
  // Templates as they look after defaulting, so the pod-spec checks pass.
  spec: {
    restartPolicy,
    dnsPolicy: 'ClusterFirst',
    containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }],
  },
});

function deployment(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'x' } },
      template: template({ app: 'x' }),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...spec,
    },
  };
}

test('a valid Deployment has no errors', () => {
  assert.deepEqual(run('Deployment.apps', deployment()), []);
});

test('Deployment without selector: required plus label mismatch, as upstream reports', () => {
  const errs = v('Deployment.apps').validate!(deployment({ selector: undefined }));
  assert.equal(
    formatFieldErrors(errs),
    '[spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`]',
  );
});

test('Deployment selector that does not match the template labels', () => {
  assert.deepEqual(run('Deployment.apps', deployment({ selector: { matchLabels: { app: 'y' } } })), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
  ]);
});

test('Deployment empty selector, negative replicas, deadline not above minReadySeconds', () => {
  assert.deepEqual(run('Deployment.apps', deployment({ selector: {}, replicas: -1, minReadySeconds: 700 })), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
  ]);
});

test('Deployment rolling update rules', () => {
  assert.deepEqual(run('Deployment.apps', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } })), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
  ]);
  assert.deepEqual(run('Deployment.apps', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%', maxSurge: 1 } } })), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%',
  ]);
  assert.deepEqual(run('Deployment.apps', deployment({ strategy: { type: 'Recreate', rollingUpdate: {} } })), [
    "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
  ]);
  assert.deepEqual(run('Deployment.apps', deployment({ strategy: { type: 'Blue' } })), [
    'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Blue", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
  ]);
});

test('Deployment template must restart Always', () => {
  assert.deepEqual(run('Deployment.apps', deployment({ template: template({ app: 'x' }, 'Never') })), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
});

test('Deployment selector is immutable in apps/v1', () => {
  const old = deployment();
  const now = deployment({ selector: { matchLabels: { app: 'y' } }, template: template({ app: 'y' }) });
  assert.deepEqual(runUpdate('Deployment.apps', now, old), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  assert.deepEqual(runUpdate('Deployment.apps', deployment({ replicas: 3 }), old), []);
});

test('ReplicaSet and DaemonSet', () => {
  const rs: KubeObject = { kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }) } };
  assert.deepEqual(run('ReplicaSet.apps', rs), []);
  const ds: KubeObject = {
    kind: 'DaemonSet',
    metadata: { name: 'd' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } },
  };
  assert.deepEqual(run('DaemonSet.apps', ds), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']);
});

function statefulSet(spec: Record<string, unknown> = {}): KubeObject {
  return {
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      serviceName: 'web',
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      selector: { matchLabels: { app: 'web' } },
      template: template({ app: 'web' }),
      ...spec,
    },
  };
}

test('StatefulSet validation', () => {
  assert.deepEqual(run('StatefulSet.apps', statefulSet()), []);
  assert.deepEqual(run('StatefulSet.apps', statefulSet({ podManagementPolicy: 'Random', updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } })), [
    "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
    "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'",
  ]);
});

test('StatefulSet update may only touch the allowed fields', () => {
  const old = statefulSet();
  assert.deepEqual(runUpdate('StatefulSet.apps', statefulSet({ replicas: 5, minReadySeconds: 3 }), old), []);
  assert.deepEqual(runUpdate('StatefulSet.apps', statefulSet({ serviceName: 'other' }), old), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

test('ControllerRevision requires data and a non-negative revision', () => {
  assert.deepEqual(run('ControllerRevision.apps', { kind: 'ControllerRevision', metadata: { name: 'c' }, revision: -1 }), [
    'data: Required value: data is mandatory',
    'revision: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('status updates are checked against replicas', () => {
  const obj = deployment();
  obj.status = { replicas: 1, readyReplicas: 2, availableReplicas: 0 };
  assert.deepEqual(v('Deployment.apps').validateStatusUpdate!(obj, deployment()).map(formatFieldError), [
    'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
  ]);
});
