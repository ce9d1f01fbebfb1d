import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { SliceEndpoint, SlicePort } from './endpoint.js';
import { newSlice, reconcile, type EndpointSliceObject } from './reconciler.js';

const service: Service = { metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels: { app: 'web' } }, spec: { selector: { app: 'web' }, clusterIP: '10.96.0.9' } };
const ports: SlicePort[] = [{ name: 'http', protocol: 'TCP', port: 8080 }];

function endpoint(i: number, ready = true): SliceEndpoint {
  return { addresses: [`10.0.${Math.floor(i / 200)}.${i % 200}`], conditions: { ready, serving: ready, terminating: false }, targetRef: { kind: 'Pod', namespace: 'ns', name: `p${i}`, uid: `u${i}` }, nodeName: 'n' };
}

function existingSlice(name: string, endpoints: SliceEndpoint[], slicePorts = ports): EndpointSliceObject {
  const slice = newSlice(service, slicePorts);
  slice.metadata = { ...slice.metadata, name, resourceVersion: '1' };
  delete slice.metadata.generateName;
  slice.endpoints = endpoints;
  return slice;
}

const range = (from: number, to: number): SliceEndpoint[] => Array.from({ length: to - from }, (_, i) => endpoint(from + i));

test('a new Service gets slices of at most 100 endpoints, labelled and owned by the Service', () => {
  const plan = reconcile(service, [{ ports, endpoints: range(0, 250) }], []);
  assert.deepEqual(plan.create.map((slice) => slice.endpoints?.length), [100, 100, 50]);
  const [first] = plan.create;
  assert.equal(first!.metadata?.generateName, 'web-');
  assert.deepEqual(first!.metadata?.labels, { app: 'web', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  assert.deepEqual(first!.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal(first!.addressType, 'IPv4');
  assert.deepEqual(first!.ports, ports);
});

test('nothing changes when the slices already hold the desired endpoints', () => {
  const plan = reconcile(service, [{ ports, endpoints: range(0, 3) }], [existingSlice('web-a', range(0, 3))]);
  assert.deepEqual(plan, { create: [], update: [], delete: [] });
});

test('a changed endpoint updates only its slice; new endpoints fill that slice first', () => {
  const changed = { ...endpoint(1), conditions: { ready: false, serving: false, terminating: false } };
  const desired = [...range(0, 1), changed, ...range(2, 100), ...range(100, 150), endpoint(150)];
  const plan = reconcile(service, [{ ports, endpoints: desired }], [existingSlice('web-a', range(0, 100)), existingSlice('web-b', range(100, 150))]);
  assert.equal(plan.create.length, 0);
  assert.equal(plan.delete.length, 0);
  // web-a is updated for the changed endpoint but full; the new endpoint goes into web-b, which fits best.
  assert.deepEqual(plan.update.map((slice) => [slice.metadata?.name, slice.endpoints?.length]), [['web-a', 100], ['web-b', 51]]);
});

test('a slice whose endpoints are all gone is deleted, and a Service with none keeps one placeholder slice', () => {
  const plan = reconcile(service, [{ ports, endpoints: range(0, 2) }], [existingSlice('web-a', range(0, 2)), existingSlice('web-b', range(5, 7))]);
  assert.deepEqual(plan.delete.map((slice) => slice.metadata?.name), ['web-b']);
  const empty = reconcile(service, [], [existingSlice('web-a', range(0, 2))]);
  // The placeholder reuses the name of the slice it replaces.
  assert.equal(empty.create.length, 0);
  assert.equal(empty.delete.length, 0);
  assert.deepEqual(empty.update.map((slice) => [slice.metadata?.name, slice.endpoints, slice.ports]), [['web-a', [], []]]);
  const placeholder = existingSlice('web-a', [], []);
  assert.deepEqual(reconcile(service, [], [placeholder]), { create: [], update: [], delete: [] });
});

test('slices of a re-created Service of the same name are replaced', () => {
  const old = existingSlice('web-old', range(0, 2));
  old.metadata!.ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'old-uid', controller: true }];
  const plan = reconcile(service, [{ ports, endpoints: range(0, 2) }], [old]);
  assert.deepEqual(plan.delete.map((slice) => slice.metadata?.name), ['web-old']);
  assert.equal(plan.create.length, 1);
});

test('Service label changes reach every slice', () => {
  const relabelled: Service = { ...service, metadata: { ...service.metadata, labels: { app: 'web', tier: 'x' } } };
  const plan = reconcile(relabelled, [{ ports, endpoints: range(0, 2) }], [existingSlice('web-a', range(0, 2))]);
  assert.equal(plan.update[0]!.metadata?.labels?.tier, 'x');
});
