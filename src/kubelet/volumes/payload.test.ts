import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { VolumeSetUpError, volumePayload, serviceAccountVolume, type Sources } from './payload.js';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { tier: 'back', app: 'demo' }, annotations: { note: 'a "quoted" one' } },
  spec: { serviceAccountName: 'default', containers: [{ name: 'c', resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } } }] },
};

const sources: Sources = {
  configMap: async (_ns, name) => (name === 'cfg' ? { data: { a: 'one', b: 'two' }, binaryData: { bin: Buffer.from([1, 2]).toString('base64') } } : undefined),
  secret: async (_ns, name) => (name === 'sec' ? { data: { password: Buffer.from('s3cret').toString('base64') } } : undefined),
  token: async (_pod, audience, seconds) => `token-${audience ?? 'api'}-${seconds}`,
  podIP: '10.0.0.5',
  podIPs: ['10.0.0.5'],
  hostIP: '192.168.0.2',
  nodeAllocatable: { memory: '1Gi', cpu: '2' },
};

const text = (payload: Map<string, { data: Buffer; mode: number }>): Record<string, [string, string]> =>
  Object.fromEntries([...payload].map(([k, v]) => [k, [v.data.toString('utf8'), v.mode.toString(8)]]));

test('a configMap volume holds every key (data and binaryData) with defaultMode; items pick keys, paths and modes', async () => {
  assert.deepEqual(Object.keys(text(await volumePayload(pod, { name: 'v', configMap: { name: 'cfg' } }, sources))), ['a', 'b', 'bin']);
  const picked = await volumePayload(pod, { name: 'v', configMap: { name: 'cfg', defaultMode: 0o640, items: [{ key: 'a', path: 'dir/first' }, { key: 'b', path: 'second', mode: 0o400 }] } }, sources);
  assert.deepEqual(text(picked), { 'dir/first': ['one', '640'], second: ['two', '400'] });
});

test('missing objects and keys fail unless optional, with upstream’s messages', async () => {
  await assert.rejects(volumePayload(pod, { name: 'v', configMap: { name: 'nope' } }, sources), new VolumeSetUpError('configmap "nope" not found'));
  await assert.rejects(volumePayload(pod, { name: 'v', secret: { secretName: 'nope' } }, sources), /secret "nope" not found/);
  await assert.rejects(volumePayload(pod, { name: 'v', configMap: { name: 'cfg', items: [{ key: 'zz', path: 'z' }] } }, sources), /configmap references non-existent config key: zz/);
  assert.equal((await volumePayload(pod, { name: 'v', configMap: { name: 'nope', optional: true } }, sources)).size, 0);
});

test('a secret volume decodes its data', async () => {
  assert.deepEqual(text(await volumePayload(pod, { name: 'v', secret: { secretName: 'sec', defaultMode: 0o400 } }, sources)), { password: ['s3cret', '400'] });
});

test('downwardAPI renders labels and annotations as sorted key="value" lines, and resource fields with divisors', async () => {
  const payload = await volumePayload(
    pod,
    {
      name: 'v',
      downwardAPI: {
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
          { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
          { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } },
          { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
          { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'requests.cpu', divisor: '1m' } },
          { path: 'cpulimit', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } },
        ],
      },
    },
    sources,
  );
  const files = text(payload);
  assert.equal(files['labels']?.[0], 'app="demo"\ntier="back"');
  assert.equal(files['annotations']?.[0], 'note="a \\"quoted\\" one"');
  assert.equal(files['name']?.[0], 'p');
  assert.equal(files['uid']?.[0], 'u1');
  assert.equal(files['mem']?.[0], '64');
  assert.equal(files['cpu']?.[0], '250');
  assert.equal(files['cpulimit']?.[0], '2', 'an unset limit is the node allocatable');
});

test('the service-account volume projects the token, ca.crt and namespace', async () => {
  const cm = { ...sources, configMap: async () => ({ data: { 'ca.crt': '-----BEGIN CERTIFICATE-----' } }) };
  const files = text(await volumePayload(pod, serviceAccountVolume('kube-api-access-x'), cm));
  assert.deepEqual(files, { token: ['token-api-3607', '644'], 'ca.crt': ['-----BEGIN CERTIFICATE-----', '644'], namespace: ['ns', '644'] });
});
