import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import { defaulters, templateLabelSelectorDefaults } from './index.js';

function defaulted(kind: string, obj: KubeObject): any {
  defaulters[kind]!(obj);
  return obj;
}

describe('Service defaults', () => {
  it('defaults a ClusterIP service', () => {
    const svc = defaulted('Service', {
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https', protocol: 'TCP' }] },
    });
    assert.deepEqual(svc.spec, {
      selector: { app: 'web' },
      ports: [
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { port: 443, targetPort: 'https', protocol: 'TCP' },
      ],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });

  it('adds the externally-accessible defaults to NodePort and LoadBalancer services', () => {
    const nodePort = defaulted('Service', { spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    assert.equal(nodePort.spec.externalTrafficPolicy, 'Cluster');
    assert.equal(nodePort.spec.allocateLoadBalancerNodePorts, undefined);

    const lb = defaulted('Service', {
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }] } },
    });
    assert.equal(lb.spec.externalTrafficPolicy, 'Cluster');
    assert.equal(lb.spec.allocateLoadBalancerNodePorts, true);
    assert.deepEqual(lb.status.loadBalancer.ingress, [{ ip: '203.0.113.7', ipMode: 'VIP' }, { hostname: 'lb.example.com' }]);

    const withExternalIPs = defaulted('Service', { spec: { externalIPs: ['198.51.100.1'], ports: [{ port: 80 }] } });
    assert.equal(withExternalIPs.spec.externalTrafficPolicy, 'Cluster');
  });

  it('handles session affinity, ExternalName and headless services', () => {
    const sticky = defaulted('Service', { spec: { sessionAffinity: 'ClientIP' } });
    assert.deepEqual(sticky.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });

    const external = defaulted('Service', { spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    assert.equal(external.spec.internalTrafficPolicy, undefined);
    assert.equal(external.spec.ipFamilyPolicy, undefined);
    assert.equal(external.spec.ipFamilies, undefined);

    const headless = defaulted('Service', { spec: { clusterIP: 'None' } });
    assert.equal(headless.spec.ipFamilyPolicy, 'RequireDualStack');
    assert.deepEqual(headless.spec.ipFamilies, ['IPv4']);

    const headlessSelected = defaulted('Service', { spec: { clusterIP: 'None', selector: { app: 'db' } } });
    assert.equal(headlessSelected.spec.ipFamilyPolicy, 'SingleStack');
  });
});

describe('other core/v1 defaults', () => {
  it('Namespace gets its name label and Active phase', () => {
    const ns = defaulted('Namespace', { metadata: { name: 'team-a', labels: { owner: 'x' } } });
    assert.deepEqual(ns.metadata.labels, { owner: 'x', 'kubernetes.io/metadata.name': 'team-a' });
    assert.deepEqual(ns.status, { phase: 'Active' });
    const unnamed = defaulted('Namespace', { metadata: { generateName: 'tmp-' } });
    assert.equal(unnamed.metadata.labels, undefined);
  });

  it('Secret type defaults to Opaque', () => {
    assert.equal(defaulted('Secret', { data: {} }).type, 'Opaque');
    assert.equal(defaulted('Secret', { type: 'kubernetes.io/tls' }).type, 'kubernetes.io/tls');
  });

  it('PersistentVolume and PersistentVolumeClaim', () => {
    const pv = defaulted('PersistentVolume', {
      spec: { capacity: { storage: '1Gi' }, hostPath: { path: '/data' }, accessModes: ['ReadWriteOnce'] },
    });
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain');
    assert.equal(pv.spec.volumeMode, 'Filesystem');
    assert.equal(pv.spec.hostPath.type, '');
    assert.deepEqual(pv.status, { phase: 'Pending' });

    const pvc = defaulted('PersistentVolumeClaim', { spec: { accessModes: ['ReadWriteOnce'] } });
    assert.equal(pvc.spec.volumeMode, 'Filesystem');
    assert.deepEqual(pvc.status, { phase: 'Pending' });
  });

  it('ReplicationController derives selector and labels from its template', () => {
    const rc = defaulted('ReplicationController', {
      metadata: { name: 'rc' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    assert.equal(rc.spec.replicas, 1);
    assert.deepEqual(rc.spec.selector, { app: 'web' });
    assert.deepEqual(rc.metadata.labels, { app: 'web' });
    assert.equal(rc.spec.template.spec.restartPolicy, 'Always');

    const explicit: any = { metadata: { labels: { tier: 'x' } }, spec: { selector: { a: 'b' }, template: { metadata: { labels: { app: 'y' } } } } };
    templateLabelSelectorDefaults['ReplicationController']!(explicit);
    assert.deepEqual(explicit.spec.selector, { a: 'b' });
    assert.deepEqual(explicit.metadata.labels, { tier: 'x' });
  });

  it('Node allocatable starts as capacity', () => {
    const node = defaulted('Node', { status: { capacity: { cpu: '4', memory: '8Gi' } } });
    assert.deepEqual(node.status.allocatable, { cpu: '4', memory: '8Gi' });
  });

  it('LimitRange container defaults chain max -> default -> defaultRequest, then min', () => {
    const lr = defaulted('LimitRange', {
      spec: {
        limits: [
          { type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { memory: '256Mi' } },
          { type: 'Pod', max: { cpu: '4' } },
        ],
      },
    });
    assert.deepEqual(lr.spec.limits[0].default, { memory: '256Mi', cpu: '2' });
    assert.deepEqual(lr.spec.limits[0].defaultRequest, { memory: '256Mi', cpu: '2' });
    assert.deepEqual(lr.spec.limits[1], { type: 'Pod', max: { cpu: '4' } });
  });

  it('Endpoints ports default to TCP', () => {
    const ep = defaulted('Endpoints', { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] });
    assert.equal(ep.subsets[0].ports[0].protocol, 'TCP');
  });
});
