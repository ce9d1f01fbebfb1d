import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { ApiError } from '../../client/index.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import { EndpointsController, type EndpointsObject } from './controller.js';
import { lastChangeTriggerTimeAnnotation } from './pod-endpoints.js';
import { overCapacityAnnotation } from './subsets.js';

const created = '2024-01-01T00:00:00Z';

function service(name: string, spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns', uid: `svc-${name}`, creationTimestamp: created, ...(labels ? { labels } : {}) }, spec };
}

function pod(name: string, ip: string | undefined, options: { ready?: boolean; labels?: Record<string, string>; ports?: unknown[]; phase?: string; deleting?: boolean; hostname?: string; subdomain?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: '1', labels: options.labels ?? { app: 'web' }, ...(options.deleting ? { deletionTimestamp: created } : {}) },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'x', ports: options.ports ?? [] }], ...(options.hostname ? { hostname: options.hostname } : {}), ...(options.subdomain ? { subdomain: options.subdomain } : {}) },
    status: {
      phase: options.phase ?? 'Running',
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True', lastTransitionTime: '2024-01-01T00:01:00Z' }],
    },
  };
}

function setup(services: KubeObject[], pods: KubeObject[], endpoints: KubeObject[] = [], fail?: ApiError) {
  const writes: { verb: string; object?: EndpointsObject; name?: string }[] = [];
  const recorder = new RecordingEventRecorder();
  const endpointsInformer = fakeInformer(endpoints);
  const controller = new EndpointsController({
    services: fakeInformer(services),
    pods: fakeInformer(pods),
    endpoints: endpointsInformer,
    recorder,
    endpointsClient: {
      async create(_ns, object) {
        if (fail) throw fail;
        writes.push({ verb: 'create', object: object as EndpointsObject });
        return object;
      },
      async update(_ns, object) {
        if (fail) throw fail;
        writes.push({ verb: 'update', object: object as EndpointsObject });
        return object;
      },
      async delete(_ns, name) {
        writes.push({ verb: 'delete', name });
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
      },
    },
  });
  return { controller, writes, recorder, endpointsInformer };
}

const web = service('web', { selector: { app: 'web' }, clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] }, { tier: 'front' });

test('ready pods become addresses, not-ready ones notReadyAddresses, with named ports resolved per pod', async () => {
  const { controller, writes } = setup(
    [web],
    [
      pod('a', '10.0.0.2', { ports: [{ name: 'http', containerPort: 8080 }] }),
      pod('b', '10.0.0.3', { ports: [{ name: 'http', containerPort: 8080 }], ready: false }),
      pod('c', '10.0.0.4', { ports: [{ name: 'http', containerPort: 9090 }] }),
      pod('no-port', '10.0.0.5'),
      pod('no-ip', undefined, { ports: [{ name: 'http', containerPort: 8080 }] }),
      pod('done', '10.0.0.6', { ports: [{ name: 'http', containerPort: 8080 }], phase: 'Succeeded' }),
      pod('other', '10.0.0.7', { labels: { app: 'db' }, ports: [{ name: 'http', containerPort: 8080 }] }),
    ],
  );
  await controller.syncService('ns/web');
  assert.equal(writes.length, 1);
  const [write] = writes;
  assert.equal(write!.verb, 'create');
  assert.deepEqual(write!.object!.metadata?.labels, { tier: 'front' });
  assert.equal(write!.object!.metadata?.annotations?.[lastChangeTriggerTimeAnnotation], created);
  assert.deepEqual(write!.object!.subsets, [
    {
      addresses: [{ ip: '10.0.0.2', targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' }, nodeName: 'node-a' }],
      notReadyAddresses: [{ ip: '10.0.0.3', targetRef: { kind: 'Pod', namespace: 'ns', name: 'b', uid: 'uid-b' }, nodeName: 'node-a' }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
    {
      addresses: [{ ip: '10.0.0.4', targetRef: { kind: 'Pod', namespace: 'ns', name: 'c', uid: 'uid-c' }, nodeName: 'node-a' }],
      ports: [{ name: 'http', port: 9090, protocol: 'TCP' }],
    },
  ]);
});

test('publishNotReadyAddresses lists not-ready and terminating pods as ready addresses', async () => {
  const svc = service('web', { selector: { app: 'web' }, clusterIP: '10.96.0.10', publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
  const { controller, writes } = setup([svc], [pod('a', '10.0.0.2', { ready: false }), pod('b', '10.0.0.3', { deleting: true })]);
  await controller.syncService('ns/web');
  assert.deepEqual(writes[0]!.object!.subsets!.map((s) => s.addresses?.map((a) => a.ip)), [['10.0.0.2', '10.0.0.3']]);
});

test('terminating pods are left out unless publishNotReadyAddresses', async () => {
  const { controller, writes } = setup([web], [pod('a', '10.0.0.2', { deleting: true, ports: [{ name: 'http', containerPort: 80 }] })]);
  await controller.syncService('ns/web');
  assert.equal(writes[0]!.object!.subsets, undefined);
});

test('a headless Service without ports lists addresses with hostnames and carries the headless label', async () => {
  const svc = service('db', { selector: { app: 'web' }, clusterIP: 'None' });
  const { controller, writes } = setup([svc], [pod('db-0', '10.0.0.2', { hostname: 'db-0', subdomain: 'db' }), pod('x', '10.0.0.3', { hostname: 'x', subdomain: 'other' })]);
  await controller.syncService('ns/db');
  const object = writes[0]!.object!;
  assert.deepEqual(object.metadata?.labels, { 'service.kubernetes.io/headless': '' });
  assert.deepEqual(object.subsets, [
    {
      addresses: [
        { ip: '10.0.0.2', targetRef: { kind: 'Pod', namespace: 'ns', name: 'db-0', uid: 'uid-db-0' }, nodeName: 'node-a', hostname: 'db-0' },
        { ip: '10.0.0.3', targetRef: { kind: 'Pod', namespace: 'ns', name: 'x', uid: 'uid-x' }, nodeName: 'node-a' },
      ],
    },
  ]);
});

test('Services without a selector and ExternalName Services are left alone; a deleted Service loses its Endpoints', async () => {
  const { controller, writes } = setup([service('kubernetes', { clusterIP: '10.96.0.1', ports: [{ port: 443 }] }), service('ext', { type: 'ExternalName', externalName: 'x.example', selector: { app: 'web' } })], [pod('a', '10.0.0.2')]);
  await controller.syncService('ns/kubernetes');
  await controller.syncService('ns/ext');
  assert.deepEqual(writes, []);
  await controller.syncService('ns/gone');
  assert.deepEqual(writes, [{ verb: 'delete', name: 'gone' }]);
});

test('Endpoints already right are not written again, and a resync drops the trigger time', async () => {
  const first = setup([web], [pod('a', '10.0.0.2', { ports: [{ name: 'http', containerPort: 8080 }] })]);
  await first.controller.syncService('ns/web');
  const stored = { ...first.writes[0]!.object!, metadata: { ...first.writes[0]!.object!.metadata, resourceVersion: '5' } };
  first.endpointsInformer.store.upsert(stored);
  await first.controller.syncService('ns/web');
  assert.equal(first.writes.length, 1);
  // Labels changed on the Service: an update, with no trigger time since no pod changed.
  const second = setup([web], [pod('a', '10.0.0.2', { ports: [{ name: 'http', containerPort: 8080 }] })], [{ ...stored, metadata: { ...stored.metadata, labels: {} } }]);
  await second.controller.syncService('ns/web');
  assert.equal(second.writes[0]!.verb, 'update');
  assert.deepEqual(second.writes[0]!.object!.metadata?.labels, { tier: 'front' });
});

test('more than 1000 addresses are truncated, ready ones kept, with the over-capacity annotation', async () => {
  const svc = service('big', { selector: { app: 'web' }, clusterIP: '10.96.0.11', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] });
  const pods = Array.from({ length: 1100 }, (_, i) => pod(`p${i}`, `10.1.${Math.floor(i / 250)}.${i % 250}`, { ready: i < 900 }));
  const { controller, writes } = setup([svc], pods);
  await controller.syncService('ns/big');
  const object = writes[0]!.object!;
  assert.equal(object.metadata?.annotations?.[overCapacityAnnotation], 'truncated');
  const subset = object.subsets![0]!;
  assert.equal(subset.addresses!.length, 900);
  assert.equal(subset.notReadyAddresses!.length, 100);
});

test('a failed update records FailedToUpdateEndpoint and is retried', async () => {
  const conflict = new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the object has been modified', reason: 'Conflict', code: 409 });
  const existing = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'ns', resourceVersion: '3' } };
  const { controller, recorder } = setup([web], [pod('a', '10.0.0.2', { ports: [{ name: 'http', containerPort: 8080 }] })], [existing], conflict);
  await assert.rejects(controller.syncService('ns/web'));
  assert.deepEqual(recorder.events, ['Warning FailedToUpdateEndpoint Failed to update endpoint ns/web: the object has been modified']);
});

test('pod changes enqueue the Services selecting the pod before and after', () => {
  const db = service('db', { selector: { app: 'db' }, clusterIP: '10.96.0.12', ports: [{ port: 5432 }] });
  const podsInformer = fakeInformer([]);
  const controller = new EndpointsController({
    services: fakeInformer([web, db]),
    pods: podsInformer,
    endpoints: fakeInformer([]),
    recorder: new RecordingEventRecorder(),
    endpointsClient: { create: async (_n, o) => o, update: async (_n, o) => o, delete: async () => ({}) as never },
  });
  const before = pod('a', '10.0.0.2');
  const after = { ...before, metadata: { ...before.metadata, resourceVersion: '2', labels: { app: 'db' } } };
  podsInformer.handlers[0]!.onUpdate!(before, after);
  assert.equal(controller.queue.len(), 2);
});
