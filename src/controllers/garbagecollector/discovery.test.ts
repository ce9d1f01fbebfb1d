import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deletableResources, discoverResources, RestMapper, RestMappingError } from './discovery.js';
import { toMetaObject } from './monitors.js';

const fakeApi = {
  async request<T>(req: { path: string }): Promise<T> {
    const answers: Record<string, unknown> = {
      '/apis': { groups: [{ name: 'apps', preferredVersion: { version: 'v1' }, versions: [{ version: 'v1' }, { version: 'v1beta1' }] }, { name: 'events.k8s.io', preferredVersion: { version: 'v1' }, versions: [{ version: 'v1' }] }] },
      '/api/v1': { resources: [{ name: 'pods', kind: 'Pod', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'watch'] }, { name: 'pods/status', kind: 'Pod', namespaced: true, verbs: ['get'] }, { name: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] }, { name: 'events', kind: 'Event', namespaced: true, verbs: ['delete', 'list', 'watch'] }, { name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['delete', 'list', 'watch'] }] },
      '/apis/apps/v1': { resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['delete', 'list', 'watch'] }] },
      '/apis/apps/v1beta1': { resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['delete', 'list', 'watch'] }] },
      '/apis/events.k8s.io/v1': { resources: [{ name: 'events', kind: 'Event', namespaced: true, verbs: ['delete', 'list', 'watch'] }] },
    };
    if (!(req.path in answers)) throw new Error(`unexpected ${req.path}`);
    return answers[req.path] as T;
  },
};

test('the preferred version of every listable, watchable, deletable resource is monitored; events and subresources are not', async () => {
  const { resources } = await discoverResources(fakeApi);
  const monitored = deletableResources(resources).map((r) => `${r.group}/${r.version}/${r.resource}`).sort();
  assert.deepEqual(monitored, ['/v1/namespaces', '/v1/pods', 'apps/v1/deployments']);
});

test('owner references resolve by exact version, else by group and kind to the preferred version', async () => {
  const mapper = new RestMapper();
  mapper.update((await discoverResources(fakeApi)).resources);
  assert.equal(mapper.resolve('apps/v1beta1', 'Deployment').version, 'v1beta1');
  assert.equal(mapper.resolve('apps/v1beta2', 'Deployment').version, 'v1');
  assert.equal(mapper.resolve('v1', 'Namespace').namespaced, false);
  assert.throws(() => mapper.resolve('example.com/v1', 'Widget'), RestMappingError);
});

test('monitors keep only identity, owners and deletion state of an object', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: '7', labels: { a: 'b' }, finalizers: ['f'], ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'r' }] }, spec: { containers: [] }, status: { phase: 'Running' } };
  assert.deepEqual(toMetaObject(pod, 'v1', 'Pod'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: '7', finalizers: ['f'], ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'r' }] } });
});
