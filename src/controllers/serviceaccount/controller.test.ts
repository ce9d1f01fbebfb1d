import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { ApiError } from '../../client/index.js';
import { fakeInformer } from '../fakes.test-support.js';
import { ServiceAccountsController } from './controller.js';

const ns = (name: string, phase = 'Active', deleting = false): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) }, status: { phase } });

function setup(namespaces: KubeObject[], serviceAccounts: KubeObject[] = [], fail?: ApiError) {
  const created: { ns: string | undefined; object: KubeObject }[] = [];
  const saInformer = fakeInformer(serviceAccounts);
  const controller = new ServiceAccountsController({
    namespaces: fakeInformer(namespaces),
    serviceAccounts: saInformer,
    serviceAccountClient: {
      async create(namespace, object) {
        if (fail) throw fail;
        created.push({ ns: namespace, object });
        return object;
      },
    },
  });
  return { controller, created, saInformer };
}

test('an Active namespace without a default ServiceAccount gets one', async () => {
  const { controller, created } = setup([ns('team')]);
  await controller.syncNamespace('team');
  assert.deepEqual(created, [{ ns: 'team', object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } }]);
});

test('a namespace that has its default ServiceAccount, is Terminating, or is gone is left alone', async () => {
  const { controller, created } = setup([ns('has'), ns('ending', 'Terminating', true)], [{ metadata: { name: 'default', namespace: 'has' } }]);
  await controller.syncNamespace('has');
  await controller.syncNamespace('ending');
  await controller.syncNamespace('missing');
  assert.deepEqual(created, []);
});

test('AlreadyExists from a lagging cache counts as done', async () => {
  const conflict = new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'exists', reason: 'AlreadyExists', code: 409 });
  const { controller } = setup([ns('team')], [], conflict);
  await controller.syncNamespace('team');
});

test('deleting a default ServiceAccount enqueues its namespace', () => {
  const { controller, saInformer } = setup([ns('team')]);
  saInformer.handlers[0]!.onDelete!({ metadata: { name: 'default', namespace: 'team' } });
  saInformer.handlers[0]!.onDelete!({ metadata: { name: 'other', namespace: 'elsewhere' } });
  assert.equal(controller.queue.len(), 1);
});
