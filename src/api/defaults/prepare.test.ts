import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import { computePodQOSClass, defaulters, prepareHooks } from './index.js';
import { quantityToNano } from './quantity.js';

function podWith(...resources: object[]): KubeObject {
  return { spec: { containers: resources.map((r, i) => ({ name: `c${i}`, image: 'app:v1', resources: r })) } };
}

describe('computePodQOSClass', () => {
  it('classifies BestEffort, Burstable and Guaranteed pods', () => {
    assert.equal(computePodQOSClass(podWith({})), 'BestEffort');
    assert.equal(computePodQOSClass(podWith({ requests: { 'example.com/gpu': '1' } })), 'BestEffort');
    assert.equal(computePodQOSClass(podWith({ requests: { cpu: '100m' } })), 'Burstable');
    assert.equal(
      computePodQOSClass(podWith({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } })),
      'Guaranteed',
    );
    assert.equal(
      computePodQOSClass(podWith({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } })),
      'Burstable',
    );
    assert.equal(
      computePodQOSClass(podWith({ limits: { cpu: '1', memory: '1Gi' } }, { requests: { cpu: '1' } })),
      'Burstable',
    );
  });

  it('uses the requests a defaulted pod copied from limits', () => {
    const pod = podWith({ limits: { cpu: '500m', memory: '256Mi' } });
    defaulters['Pod']!(pod);
    assert.equal(computePodQOSClass(pod), 'Guaranteed');
  });

  it('parses quantities exactly', () => {
    assert.equal(quantityToNano('1'), 1_000_000_000n);
    assert.equal(quantityToNano('500m'), 500_000_000n);
    assert.equal(quantityToNano('1Ki'), 1024n * 1_000_000_000n);
    assert.equal(quantityToNano('1.5e3'), 1500n * 1_000_000_000n);
    assert.equal(quantityToNano('0.1n'), 1n);
    assert.equal(quantityToNano('12x'), undefined);
  });
});

describe('prepareHooks', () => {
  it('Pod create: status and priority; tolerations are left to the DefaultTolerationSeconds admission plugin', () => {
    const pod: any = podWith({ requests: { cpu: '100m' } });
    pod.status = { phase: 'Running' };
    pod.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }];
    assert.equal(prepareHooks['Pod']!.keepStatusOnCreate, true);
    prepareHooks['Pod']!.prepareForCreate!(pod);
    assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'Burstable' });
    assert.equal(pod.spec.priority, 0);
    assert.equal(pod.spec.preemptionPolicy, 'PreemptLowerPriority');
    assert.deepEqual(pod.spec.tolerations, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);

    const critical: any = { spec: { priorityClassName: 'system-node-critical', schedulingGates: [{ name: 'wait' }], containers: [] } };
    prepareHooks['Pod']!.prepareForCreate!(critical);
    assert.equal(critical.spec.priority, 2000001000);
    assert.equal(critical.status.qosClass, 'BestEffort');
    assert.equal(critical.status.conditions[0].reason, 'SchedulingGated');
  });

  it('Job create: generated selector and labels', () => {
    const job: any = {
      metadata: { name: 'pi', uid: 'u-1' },
      spec: { manualSelector: false, template: { spec: { restartPolicy: 'Never', containers: [] } } },
    };
    prepareHooks['Job.batch']!.prepareForCreate!(job);
    const expected = {
      'job-name': 'pi',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': 'u-1',
      'batch.kubernetes.io/controller-uid': 'u-1',
    };
    assert.deepEqual(job.spec.template.metadata.labels, expected);
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    assert.deepEqual(job.metadata.labels, expected);

    // Labels the Job took from its template follow the template; its own labels stay.
    const fromTemplate: any = {
      metadata: { name: 'a', uid: 'u-2' },
      spec: { template: { metadata: { labels: { app: 'x' } }, spec: {} } },
    };
    defaulters['Job.batch']!(fromTemplate);
    prepareHooks['Job.batch']!.prepareForCreate!(fromTemplate);
    assert.equal(fromTemplate.metadata.labels['batch.kubernetes.io/controller-uid'], 'u-2');
    assert.equal(fromTemplate.metadata.labels.app, 'x');

    const ownLabels: any = { metadata: { name: 'b', uid: 'u-3', labels: { team: 't' } }, spec: { template: { spec: {} } } };
    prepareHooks['Job.batch']!.prepareForCreate!(ownLabels);
    assert.deepEqual(ownLabels.metadata.labels, { team: 't' });

    const manual: any = {
      metadata: { name: 'm', uid: 'u-4' },
      spec: { manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } } } },
    };
    prepareHooks['Job.batch']!.prepareForCreate!(manual);
    assert.deepEqual(manual.spec.selector, { matchLabels: { a: 'b' } });
    assert.deepEqual(manual.spec.template.metadata.labels, { a: 'b' });
  });

  it('Namespace: Active status, kubernetes finalizer, finalizers kept on update', () => {
    const ns: any = { metadata: { name: 'n' } };
    prepareHooks['Namespace']!.prepareForCreate!(ns);
    assert.deepEqual(ns.status, { phase: 'Active' });
    assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
    const updated: any = { metadata: { name: 'n' }, spec: { finalizers: [] } };
    prepareHooks['Namespace']!.prepareForUpdate!(updated, ns);
    assert.deepEqual(updated.spec.finalizers, ['kubernetes']);
  });

  it('PV and PVC start Pending', () => {
    const pv: any = { spec: {}, status: { phase: 'Bound' } };
    prepareHooks['PersistentVolume']!.prepareForCreate!(pv);
    assert.equal(pv.status.phase, 'Pending');
    assert.match(pv.status.lastPhaseTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const pvc: any = { spec: {}, status: { phase: 'Bound' } };
    prepareHooks['PersistentVolumeClaim']!.prepareForCreate!(pvc);
    assert.deepEqual(pvc.status, { phase: 'Pending' });
  });

  it('CRD storedVersions follow the storage version', () => {
    const crd: any = { spec: { versions: [{ name: 'v1', storage: true }] }, status: { storedVersions: ['bogus'] } };
    prepareHooks['CustomResourceDefinition.apiextensions.k8s.io']!.prepareForCreate!(crd);
    assert.deepEqual(crd.status, { storedVersions: ['v1'] });
    const next: any = structuredClone(crd);
    next.spec.versions = [{ name: 'v1', storage: false }, { name: 'v2', storage: true }];
    prepareHooks['CustomResourceDefinition.apiextensions.k8s.io']!.prepareForUpdate!(next, crd);
    assert.deepEqual(next.status.storedVersions, ['v1', 'v2']);
  });

  it('DaemonSet templateGeneration annotation and Deployment annotation generation', () => {
    const ds: any = { metadata: { name: 'd', generation: 1 }, spec: { template: { spec: { containers: [{ name: 'a' }] } } } };
    prepareHooks['DaemonSet.apps']!.prepareForCreate!(ds);
    assert.equal(ds.metadata.annotations['deprecated.daemonset.template.generation'], '1');
    const sameTemplate: any = structuredClone(ds);
    sameTemplate.metadata.annotations['deprecated.daemonset.template.generation'] = '9';
    prepareHooks['DaemonSet.apps']!.prepareForUpdate!(sameTemplate, ds);
    assert.equal(sameTemplate.metadata.annotations['deprecated.daemonset.template.generation'], '1');
    const newTemplate: any = structuredClone(ds);
    newTemplate.spec.template.spec.containers[0].name = 'b';
    prepareHooks['DaemonSet.apps']!.prepareForUpdate!(newTemplate, ds);
    assert.equal(newTemplate.metadata.annotations['deprecated.daemonset.template.generation'], '2');

    const deploy: any = { metadata: { name: 'x', generation: 3, annotations: { a: '1' } }, spec: {} };
    const annotated: any = structuredClone(deploy);
    annotated.metadata.annotations.a = '2';
    prepareHooks['Deployment.apps']!.prepareForUpdate!(annotated, deploy);
    assert.equal(annotated.metadata.generation, 4);
  });

  it('Service: clusterIPs normalised, type-dependent fields dropped on type change', () => {
    const created: any = { spec: { clusterIP: '10.96.0.10' } };
    prepareHooks['Service']!.prepareForCreate!(created);
    assert.deepEqual(created.spec.clusterIPs, ['10.96.0.10']);

    const old: any = {
      spec: {
        type: 'LoadBalancer',
        ports: [{ port: 80, nodePort: 30080 }],
        externalTrafficPolicy: 'Cluster',
        allocateLoadBalancerNodePorts: true,
        clusterIP: '10.96.0.20',
        clusterIPs: ['10.96.0.20'],
      },
    };
    const toClusterIP: any = structuredClone(old);
    toClusterIP.spec.type = 'ClusterIP';
    prepareHooks['Service']!.prepareForUpdate!(toClusterIP, old);
    assert.deepEqual(toClusterIP.spec, {
      type: 'ClusterIP',
      ports: [{ port: 80 }],
      clusterIP: '10.96.0.20',
      clusterIPs: ['10.96.0.20'],
    });
    const toExternalName: any = structuredClone(old);
    toExternalName.spec.type = 'ExternalName';
    toExternalName.spec.externalName = 'db.example.com';
    prepareHooks['Service']!.prepareForUpdate!(toExternalName, old);
    assert.equal(toExternalName.spec.clusterIP, undefined);
    assert.equal(toExternalName.spec.clusterIPs, undefined);
  });

  it('CSR: no status on create, immutable spec on update', () => {
    const csr: any = { spec: { request: 'abc', signerName: 'kubernetes.io/kube-apiserver-client' }, status: { conditions: [{ type: 'Approved' }] } };
    prepareHooks['CertificateSigningRequest.certificates.k8s.io']!.prepareForCreate!(csr);
    assert.deepEqual(csr.status, {});
    const changed: any = { spec: { request: 'xyz', signerName: 'other' } };
    prepareHooks['CertificateSigningRequest.certificates.k8s.io']!.prepareForUpdate!(changed, csr);
    assert.deepEqual(changed.spec, csr.spec);
  });
});

describe('Job selector generation preconditions', () => {
  it('refuses to run before the uid is assigned', () => {
    const job: any = { metadata: { name: 'pi' }, spec: { template: { spec: {} } } };
    assert.throws(() => prepareHooks['Job.batch']!.prepareForCreate!(job), /metadata.uid/);
  });
});
