import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { patchSchemaFor } from './patch-metadata.js';
import { strategicMergePatchNotSupported } from './patch-errors.js';
import { lookupField, type PatchField, type PatchSchema } from './patch-schema.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

/** Follows a dotted path of field names (list fields step into their element schema). */
function fieldAt(group: string, kind: string, path: string): PatchField {
  let schema: PatchSchema | undefined = patchSchemaFor(group, kind);
  assert.ok(schema, `${kind}.${group} has a schema`);
  let field: PatchField = {};
  for (const name of path.split('.')) {
    field = lookupField(schema, name);
    schema = field.schema;
  }
  return field;
}

describe('patchSchemaFor', () => {
  it('declares the upstream struct tags of core/v1', () => {
    assert.deepEqual(pick(fieldAt('', 'Pod', 'spec.containers')), { strategy: 'merge', mergeKey: 'name' });
    assert.deepEqual(pick(fieldAt('', 'Pod', 'spec.containers.ports')), { strategy: 'merge', mergeKey: 'containerPort' });
    assert.deepEqual(pick(fieldAt('', 'Pod', 'spec.containers.env')), { strategy: 'merge', mergeKey: 'name' });
    assert.deepEqual(pick(fieldAt('', 'Pod', 'spec.initContainers.volumeMounts')), { strategy: 'merge', mergeKey: 'mountPath' });
    assert.deepEqual(pick(fieldAt('', 'Pod', 'spec.volumes')), { strategy: 'merge,retainKeys', mergeKey: 'name' });
    assert.deepEqual(pick(fieldAt('', 'Pod', 'status.conditions')), { strategy: 'merge', mergeKey: 'type' });
    assert.deepEqual(pick(fieldAt('', 'Pod', 'metadata.finalizers')), { strategy: 'merge' });
    assert.deepEqual(pick(fieldAt('', 'Pod', 'metadata.ownerReferences')), { strategy: 'merge', mergeKey: 'uid' });
    assert.deepEqual(pick(fieldAt('', 'Service', 'spec.ports')), { strategy: 'merge', mergeKey: 'port' });
    assert.deepEqual(pick(fieldAt('', 'Node', 'status.addresses')), { strategy: 'merge', mergeKey: 'type' });
    assert.deepEqual(pick(fieldAt('', 'Pod', 'spec.tolerations')), {}, 'tolerations are atomic');
  });

  it('declares pod templates inside workloads and the Deployment strategy as retainKeys', () => {
    assert.deepEqual(pick(fieldAt('apps', 'Deployment', 'spec.template.spec.containers.env')), { strategy: 'merge', mergeKey: 'name' });
    assert.deepEqual(pick(fieldAt('apps', 'Deployment', 'spec.strategy')), { strategy: 'retainKeys' });
    assert.deepEqual(pick(fieldAt('apps', 'StatefulSet', 'spec.template.spec.volumes')), { strategy: 'merge,retainKeys', mergeKey: 'name' });
    assert.deepEqual(pick(fieldAt('batch', 'CronJob', 'spec.jobTemplate.spec.template.spec.containers')), { strategy: 'merge', mergeKey: 'name' });
    assert.deepEqual(pick(fieldAt('batch', 'Job', 'status.conditions')), { strategy: 'merge', mergeKey: 'type' });
    assert.deepEqual(pick(fieldAt('admissionregistration.k8s.io', 'MutatingWebhookConfiguration', 'webhooks')), { strategy: 'merge', mergeKey: 'name' });
    assert.deepEqual(pick(fieldAt('policy', 'PodDisruptionBudget', 'spec.selector')), { strategy: 'replace' });
  });

  it('knows every served built-in group', () => {
    const kinds: [string, string][] = [
      ['', 'ConfigMap'], ['apps', 'DaemonSet'], ['batch', 'Job'], ['autoscaling', 'HorizontalPodAutoscaler'], ['policy', 'PodDisruptionBudget'],
      ['rbac.authorization.k8s.io', 'ClusterRole'], ['networking.k8s.io', 'Ingress'], ['storage.k8s.io', 'StorageClass'],
      ['coordination.k8s.io', 'Lease'], ['discovery.k8s.io', 'EndpointSlice'], ['events.k8s.io', 'Event'], ['scheduling.k8s.io', 'PriorityClass'],
      ['node.k8s.io', 'RuntimeClass'], ['certificates.k8s.io', 'CertificateSigningRequest'], ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicy'],
      ['apiextensions.k8s.io', 'CustomResourceDefinition'],
    ];
    for (const [group, kind] of kinds) assert.ok(patchSchemaFor(group, kind), `${kind}.${group}`);
  });

  it('has nothing for custom resources, which get upstream 415', () => {
    assert.equal(patchSchemaFor('example.com', 'Widget'), undefined);
    assert.equal(patchSchemaFor('', 'constructor'), undefined);
    assert.equal(patchSchemaFor('__proto__', 'Pod'), undefined);
    const err = strategicMergePatchNotSupported();
    assert.equal(err.code, 415);
    assert.equal(err.reason, 'UnsupportedMediaType');
    assert.equal(
      err.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('$deleteFromPrimitiveList deletes even from an atomic list', () => {
    const svc = { spec: { externalIPs: ['1.1.1.1', '2.2.2.2'] } };
    const out = applyStrategicMergePatch(svc, { spec: { '$deleteFromPrimitiveList/externalIPs': ['1.1.1.1'] } }, patchSchemaFor('', 'Service') as PatchSchema);
    assert.deepEqual(out, { spec: { externalIPs: ['2.2.2.2'] } });
  });
});

function pick(field: PatchField): Omit<PatchField, 'schema'> {
  const { schema: _schema, ...rest } = field;
  return rest;
}
