import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ResourceMapping } from '../garbagecollector/discovery.js';
import { scaleSubresourceFinder, type ScaleSubresourceApi } from './scale-subresource.js';

const widgets: ResourceMapping = { group: 'example.com', version: 'v1', resource: 'widgets', namespaced: true, kind: 'Widget', subresources: ['status', 'scale'] };
const jobs: ResourceMapping = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true, kind: 'Job', subresources: ['status'] };
const podOf = (apiVersion: string, kind: string, uid = 'uid-owner'): Pod => ({ metadata: { name: 'p', namespace: 'ns', ownerReferences: [{ apiVersion, kind, name: 'owner', uid, controller: true }] } });

function api(scales: Record<string, { uid: string; replicas: number }>): ScaleSubresourceApi {
  return {
    async resolve(_apiVersion, kind) {
      return kind === 'Widget' ? widgets : jobs;
    },
    async getScale(mapping, _ns, name) {
      return scales[`${mapping.resource}/${name}`];
    },
  };
}

test('a custom controller with the scale subresource counts its spec.replicas', async () => {
  const find = scaleSubresourceFinder(api({ 'widgets/owner': { uid: 'uid-owner', replicas: 4 } }));
  assert.deepEqual(await find(podOf('example.com/v1', 'Widget')), { uid: 'uid-owner', scale: 4 });
  assert.equal(await find(podOf('example.com/v1', 'Widget', 'other-uid')), undefined);
});

test('a controller kind without the scale subresource is an error naming the resource', async () => {
  const find = scaleSubresourceFinder(api({}));
  await assert.rejects(find(podOf('batch/v1', 'Job')), /^Error: jobs\.batch does not implement the scale subresource$/);
});
