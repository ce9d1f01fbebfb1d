import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import type { EndpointSliceObject } from '../endpointslice/reconciler.js';
import { EndpointSliceMirroringController } from './controller.js';
import { reconcileMirror, type EndpointsObject } from './reconciler.js';

const service = (name: string, selector?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns' }, spec: { ports: [{ port: 80 }], ...(selector ? { selector } : {}) } });

function endpoints(name: string, subsets: unknown[], labels: Record<string, string> = {}): EndpointsObject {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': 'x', team: 'a' } }, subsets: subsets as EndpointsObject['subsets'] };
}

const external = endpoints('db', [{ addresses: [{ ip: '192.168.1.10' }], notReadyAddresses: [{ ip: '192.168.1.11' }], ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }]);

test('a selector-less Service\'s Endpoints are mirrored into one slice per port set, owned by the Endpoints', () => {
  const { plan } = reconcileMirror(external, []);
  assert.equal(plan.create.length, 1);
  const slice = plan.create[0]!;
  assert.equal(slice.metadata?.generateName, 'db-');
  assert.deepEqual(slice.metadata?.labels, { 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
  assert.deepEqual(slice.metadata?.annotations, { team: 'a' });
  assert.deepEqual(slice.metadata?.ownerReferences?.map((ref) => [ref.kind, ref.name, ref.controller]), [['Endpoints', 'db', true]]);
  assert.deepEqual(slice.ports, [{ name: 'pg', protocol: 'TCP', port: 5432 }]);
  assert.deepEqual(slice.endpoints, [
    { addresses: ['192.168.1.10'], conditions: { ready: true } },
    { addresses: ['192.168.1.11'], conditions: { ready: false } },
  ]);
});

test('an up-to-date mirror is left alone; invalid and excess addresses are counted', () => {
  const { plan } = reconcileMirror(external, []);
  const stored = { ...plan.create[0]!, metadata: { ...plan.create[0]!.metadata, name: 'db-abcde', resourceVersion: '3' } } as EndpointSliceObject;
  assert.deepEqual(reconcileMirror(external, [stored]).plan, { create: [], update: [], delete: [] });
  const messy = endpoints('db', [{ addresses: [{ ip: 'not-an-ip' }, { ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }], ports: [{ port: 1 }] }]);
  const result = reconcileMirror(messy, [], 2);
  assert.equal(result.invalidAddresses, 1);
  assert.equal(result.skippedAddresses, 2);
  assert.equal(result.plan.create[0]!.endpoints?.length, 2);
});

test('mirrored slices go when the Service gets a selector or the Endpoints are marked skip-mirror', async () => {
  const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'db-x', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' } }, addressType: 'IPv4', endpoints: [] };
  for (const [services, eps] of [[[service('db', { app: 'db' })], [external]], [[service('db')], [endpoints('db', [], { 'endpointslice.kubernetes.io/skip-mirror': 'true' })]]] as const) {
    const deleted: string[] = [];
    const controller = new EndpointSliceMirroringController({
      services: fakeInformer([...services]),
      endpoints: fakeInformer([...eps]),
      endpointSlices: fakeInformer([slice]),
      recorder: new RecordingEventRecorder(),
      sliceClient: { create: async (_n, o) => o, update: async (_n, o) => o, delete: async (_n, name) => (deleted.push(name), {} as never) },
    });
    await controller.syncEndpoints('ns/db');
    assert.deepEqual(deleted, ['db-x']);
  }
});
