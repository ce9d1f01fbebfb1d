import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { fakeInformer } from '../fakes.test-support.js';
import type { NamespaceContentApi, NamespacedResource } from './content.js';
import { NamespaceController, type Namespace, type NamespaceApi } from './controller.js';

const now = () => '2024-01-01T00:00:00Z';
const configMaps: NamespacedResource = { group: '', version: 'v1', resource: 'configmaps', namespaced: true, verbs: ['list', 'delete', 'deletecollection'] };
const widgets: NamespacedResource = { group: 'example.com', version: 'v1', resource: 'widgets', namespaced: true, verbs: ['list', 'delete'] };

function terminating(): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', deletionTimestamp: now(), resourceVersion: '1' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } };
}

/** A tiny in-memory cluster: one namespace and its content by resource. */
function setup(content: Map<NamespacedResource, KubeObject[]>, failedGroups = new Map<string, string>()) {
  let namespace: Namespace | undefined = terminating();
  const calls: string[] = [];
  const namespaceApi: NamespaceApi = {
    async get() {
      if (!namespace) throw Object.assign(new (await import('../../client/index.js')).ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'gone', reason: 'NotFound', code: 404 }));
      return structuredClone(namespace);
    },
    async updateStatus(updated) {
      calls.push('updateStatus');
      namespace = structuredClone(updated);
      return updated;
    },
    async finalize(updated) {
      calls.push(`finalize ${JSON.stringify(updated.spec?.finalizers)}`);
      // The server removes a deleted namespace once no finalizer is left.
      namespace = undefined;
      return updated;
    },
    async delete() {
      calls.push('delete');
    },
  };
  const contentApi: NamespaceContentApi = {
    async discoverNamespacedResources() {
      return { resources: [...content.keys()], failedGroups };
    },
    async list(resource) {
      return content.get(resource) ?? [];
    },
    async deleteCollection(resource) {
      calls.push(`deletecollection ${resource.resource}`);
      content.set(resource, (content.get(resource) ?? []).filter((o) => o.metadata?.finalizers?.length));
    },
    async delete(resource, _ns, name) {
      calls.push(`delete ${resource.resource}/${name}`);
      content.set(resource, (content.get(resource) ?? []).filter((o) => o.metadata?.name !== name || o.metadata?.finalizers?.length));
    },
  };
  const controller = new NamespaceController({ namespaces: fakeInformer([terminating()]), namespaceApi, contentApi, now });
  return { controller, calls, namespace: () => namespace };
}

test('content is deleted (deletecollection, or one by one), then the kubernetes finalizer is removed', async () => {
  const { controller, calls, namespace } = setup(new Map([[configMaps, [{ metadata: { name: 'a' } }]], [widgets, [{ metadata: { name: 'w' } }]]]));
  await controller.syncNamespace('ns');
  assert.deepEqual(calls, ['deletecollection configmaps', 'delete widgets/w', 'updateStatus', 'finalize []']);
  assert.equal(namespace(), undefined);
});

test('content held by finalizers sets the remaining conditions and requeues instead of finalizing', async () => {
  const { controller, calls, namespace } = setup(new Map([[configMaps, [{ metadata: { name: 'a', finalizers: ['example.com/hold'] } }]]]));
  await controller.syncNamespace('ns');
  assert.ok(!calls.some((c) => c.startsWith('finalize')));
  const conditions = new Map(namespace()!.status!.conditions!.map((c) => [c.type, c]));
  assert.deepEqual(conditions.get('NamespaceContentRemaining'), { type: 'NamespaceContentRemaining', status: 'True', lastTransitionTime: now(), reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances' });
  assert.equal(conditions.get('NamespaceFinalizersRemaining')?.message, 'Some finalizers are remaining: example.com/hold in 1 resource instances');
  assert.equal(conditions.get('NamespaceDeletionContentFailure')?.reason, 'ContentDeleted');
  assert.equal(conditions.get('NamespaceDeletionDiscoveryFailure')?.reason, 'ResourcesDiscovered');
});

test('a discovery failure is reported as NamespaceDeletionDiscoveryFailure and the sync fails to be retried', async () => {
  const { controller, namespace, calls } = setup(new Map([[configMaps, []]]), new Map([['example.com/v1', 'the server is currently unable to handle the request']]));
  await assert.rejects(controller.syncNamespace('ns'), /unable to retrieve the complete list of server APIs: example.com\/v1/);
  const failure = namespace()!.status!.conditions!.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure');
  assert.equal(failure?.status, 'True');
  assert.equal(failure?.reason, 'DiscoveryFailed');
  assert.match(failure?.message ?? '', /^Discovery failed for some groups, 1 failing: /);
  assert.ok(!calls.some((c) => c.startsWith('finalize')));
});

test('a namespace not being deleted, or already gone, is left alone', async () => {
  const { controller, calls } = setup(new Map());
  await controller.syncNamespace('other');
  assert.deepEqual(calls, []);
});
