import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import { defaulters } from './index.js';

function defaulted(kind: string, obj: KubeObject): any {
  defaulters[kind]!(obj);
  return obj;
}

describe('API group defaults', () => {
  it('rbac bindings', () => {
    const rb = defaulted('RoleBinding.rbac.authorization.k8s.io', {
      roleRef: { kind: 'Role', name: 'reader' },
      subjects: [
        { kind: 'User', name: 'jane' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'default', namespace: 'ns' },
      ],
    });
    assert.equal(rb.roleRef.apiGroup, 'rbac.authorization.k8s.io');
    assert.deepEqual(
      rb.subjects.map((s: any) => s.apiGroup),
      ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', undefined],
    );
    const crb = defaulted('ClusterRoleBinding.rbac.authorization.k8s.io', { roleRef: { kind: 'ClusterRole', name: 'view' } });
    assert.equal(crb.roleRef.apiGroup, 'rbac.authorization.k8s.io');
  });

  it('networking and discovery', () => {
    const ingressOnly = defaulted('NetworkPolicy.networking.k8s.io', {
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] },
    });
    assert.deepEqual(ingressOnly.spec.policyTypes, ['Ingress']);
    assert.equal(ingressOnly.spec.ingress[0].ports[0].protocol, 'TCP');
    const withEgress = defaulted('NetworkPolicy.networking.k8s.io', { spec: { podSelector: {}, egress: [{}] } });
    assert.deepEqual(withEgress.spec.policyTypes, ['Ingress', 'Egress']);

    const ingressClass = defaulted('IngressClass.networking.k8s.io', {
      spec: { controller: 'x/y', parameters: { kind: 'Params', name: 'p' } },
    });
    assert.equal(ingressClass.spec.parameters.scope, 'Cluster');

    const slice = defaulted('EndpointSlice.discovery.k8s.io', { addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] });
    assert.deepEqual(slice.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
    assert.equal(defaulters['Ingress.networking.k8s.io'], undefined);
  });

  it('storage and scheduling', () => {
    const sc = defaulted('StorageClass.storage.k8s.io', { provisioner: 'example.com/disk' });
    assert.equal(sc.reclaimPolicy, 'Delete');
    assert.equal(sc.volumeBindingMode, 'Immediate');
    const driver = defaulted('CSIDriver.storage.k8s.io', { spec: {} });
    assert.deepEqual(driver.spec, {
      attachRequired: true,
      podInfoOnMount: false,
      storageCapacity: false,
      fsGroupPolicy: 'ReadWriteOnceWithFSType',
      volumeLifecycleModes: ['Persistent'],
      requiresRepublish: false,
      seLinuxMount: false,
    });
    const pc = defaulted('PriorityClass.scheduling.k8s.io', { value: 1000 });
    assert.equal(pc.preemptionPolicy, 'PreemptLowerPriority');
  });

  it('admission webhooks and policies', () => {
    const webhook = () => ({
      name: 'w.example.com',
      clientConfig: { service: { name: 'svc', namespace: 'ns' } },
      rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
    });
    const mutating = defaulted('MutatingWebhookConfiguration.admissionregistration.k8s.io', { webhooks: [webhook()] });
    const w = mutating.webhooks[0];
    assert.equal(w.failurePolicy, 'Fail');
    assert.equal(w.matchPolicy, 'Equivalent');
    assert.deepEqual(w.namespaceSelector, {});
    assert.deepEqual(w.objectSelector, {});
    assert.equal(w.timeoutSeconds, 10);
    assert.equal(w.reinvocationPolicy, 'Never');
    assert.equal(w.rules[0].scope, '*');
    assert.equal(w.clientConfig.service.port, 443);
    assert.equal(w.sideEffects, 'None');

    const validating = defaulted('ValidatingWebhookConfiguration.admissionregistration.k8s.io', { webhooks: [webhook()] });
    assert.equal(validating.webhooks[0].reinvocationPolicy, undefined);

    const policy = defaulted('ValidatingAdmissionPolicy.admissionregistration.k8s.io', {
      spec: { matchConstraints: { resourceRules: [{ operations: ['CREATE'], resources: ['deployments'] }] }, validations: [] },
    });
    assert.equal(policy.spec.failurePolicy, 'Fail');
    assert.equal(policy.spec.matchConstraints.matchPolicy, 'Equivalent');
    assert.equal(policy.spec.matchConstraints.resourceRules[0].scope, '*');
  });

  it('CustomResourceDefinition', () => {
    const crd = defaulted('CustomResourceDefinition.apiextensions.k8s.io', {
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          { name: 'v1beta1', served: true, storage: false },
          { name: 'v1', served: true, storage: true },
        ],
      },
    });
    assert.equal(crd.spec.names.singular, 'widget');
    assert.equal(crd.spec.names.listKind, 'WidgetList');
    assert.deepEqual(crd.spec.conversion, { strategy: 'None' });
    assert.deepEqual(crd.status.storedVersions, ['v1']);
  });

  it('flowcontrol and apiregistration', () => {
    const fs = defaulted('FlowSchema.flowcontrol.apiserver.k8s.io', { spec: { priorityLevelConfiguration: { name: 'x' } } });
    assert.equal(fs.spec.matchingPrecedence, 1000);
    const limited = defaulted('PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io', {
      spec: { type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: {} } } },
    });
    assert.deepEqual(limited.spec.limited, {
      limitResponse: { type: 'Queue', queuing: { handSize: 8, queues: 64, queueLengthLimit: 50 } },
      nominalConcurrencyShares: 30,
      lendablePercent: 0,
    });
    const exempt = defaulted('PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io', { spec: { type: 'Exempt' } });
    assert.deepEqual(exempt.spec.exempt, { nominalConcurrencyShares: 0, lendablePercent: 0 });
    const apiService = defaulted('APIService.apiregistration.k8s.io', {
      spec: { group: 'metrics.k8s.io', version: 'v1beta1', service: { name: 'metrics-server', namespace: 'kube-system' } },
    });
    assert.equal(apiService.spec.service.port, 443);
  });

  it('every defaulter is idempotent on an empty object', () => {
    for (const [kind, defaulter] of Object.entries(defaulters)) {
      const once: KubeObject = { metadata: { name: 'x' } };
      defaulter(once);
      const twice = structuredClone(once);
      defaulter(twice);
      assert.deepEqual(twice, once, kind);
    }
  });
});
