import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import { EndpointSliceController, StaleInformerCacheError } from './controller.js';
import type { EndpointSliceObject } from './reconciler.js';

const web: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { selector: { app: 'web' }, clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
};
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'z1' } } };

function pod(name: string, ip: string, options: { ready?: boolean; deleting?: boolean; nodeName?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'web' }, ...(options.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: options.nodeName ?? 'node-a', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }] },
  };
}

function setup(pods: KubeObject[], services: KubeObject[] = [web]) {
  const writes: string[] = [];
  const created: EndpointSliceObject[] = [];
  const slices = fakeInformer([]);
  let rv = 10;
  const recorder = new RecordingEventRecorder();
  const controller = new EndpointSliceController({
    services: fakeInformer(services),
    pods: fakeInformer(pods),
    nodes: fakeInformer([node]),
    endpointSlices: slices,
    recorder,
    sliceClient: {
      async create(_ns, object) {
        const stored = { ...object, metadata: { ...object.metadata, name: `web-${rv}`, resourceVersion: String(++rv) } };
        writes.push(`create ${stored.metadata.name}`);
        created.push(object as EndpointSliceObject);
        return stored;
      },
      async update(_ns, object) {
        writes.push(`update ${object.metadata?.name}`);
        return { ...object, metadata: { ...object.metadata, resourceVersion: String(++rv) } };
      },
      async delete(_ns, name) {
        writes.push(`delete ${name}`);
        return {} as never;
      },
    },
  });
  return { controller, writes, slices, recorder, created };
}

test('a Service gets a slice with conditions, node, zone, target and resolved ports', async () => {
  const { controller, created: slices } = setup([pod('a', '10.0.0.2'), pod('b', '10.0.0.3', { ready: false }), pod('c', '10.0.0.4', { deleting: true })]);
  await controller.syncService('ns/web');
  const created = slices[0];
  assert.deepEqual(created!.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
  assert.deepEqual(created!.endpoints, [
    { addresses: ['10.0.0.2'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' }, nodeName: 'node-a', zone: 'z1' },
    { addresses: ['10.0.0.3'], conditions: { ready: false, serving: false, terminating: false }, targetRef: { kind: 'Pod', namespace: 'ns', name: 'b', uid: 'uid-b' }, nodeName: 'node-a', zone: 'z1' },
    { addresses: ['10.0.0.4'], conditions: { ready: false, serving: true, terminating: true }, targetRef: { kind: 'Pod', namespace: 'ns', name: 'c', uid: 'uid-c' }, nodeName: 'node-a', zone: 'z1' },
  ]);
  assert.equal(created!.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2024-01-01T00:00:00Z');
});

test('until the cache shows our own write, the Service is retried instead of written twice', async () => {
  const { controller, writes, slices } = setup([pod('a', '10.0.0.2')]);
  await controller.syncService('ns/web');
  assert.deepEqual(writes, ['create web-10']);
  await assert.rejects(controller.syncService('ns/web'), StaleInformerCacheError);
  slices.store.upsert({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-10', namespace: 'ns', resourceVersion: '11', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid' }] }, addressType: 'IPv4', endpoints: [], ports: [] });
  await controller.syncService('ns/web');
  // The cached slice lacks the endpoint: it is updated in place.
  assert.deepEqual(writes, ['create web-10', 'update web-10']);
});

test('pods on unknown nodes are left out and the Service retried', async () => {
  const { controller, writes } = setup([pod('a', '10.0.0.2', { nodeName: 'missing' })]);
  await assert.rejects(controller.syncService('ns/web'), /Node not found/);
  assert.deepEqual(writes, ['create web-10']);
});

test('selector-less Services get no slices; slices of a deleted Service are removed', async () => {
  const { controller, writes, slices } = setup([pod('a', '10.0.0.2')], [{ ...web, metadata: { ...web.metadata, name: 'kubernetes' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] } }]);
  await controller.syncService('ns/kubernetes');
  assert.deepEqual(writes, []);
  slices.store.upsert({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'gone-abc', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'gone', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } }, addressType: 'IPv4', endpoints: [] });
  await controller.syncService('ns/gone');
  assert.deepEqual(writes, ['delete gone-abc']);
});
