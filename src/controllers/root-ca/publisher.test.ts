import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { fakeInformer } from '../fakes.test-support.js';
import { descriptionAnnotation, RootCaPublisher, rootCaDescription } from './publisher.js';

const caPem = '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n';

function setup(namespaces: KubeObject[], configMaps: KubeObject[] = []) {
  const writes: { verb: string; ns: string | undefined; object: KubeObject }[] = [];
  const configMapInformer = fakeInformer(configMaps);
  const publisher = new RootCaPublisher({
    namespaces: fakeInformer(namespaces),
    configMaps: configMapInformer,
    rootCaPem: caPem,
    configMapClient: {
      async create(ns, object) {
        writes.push({ verb: 'create', ns, object });
        return object;
      },
      async update(ns, object) {
        writes.push({ verb: 'update', ns, object });
        return object;
      },
    },
  });
  return { publisher, writes, configMapInformer };
}

test('a namespace without kube-root-ca.crt gets it with the CA and the description annotation', async () => {
  const { publisher, writes } = setup([{ metadata: { name: 'team' } }]);
  await publisher.syncNamespace('team');
  assert.equal(writes.length, 1);
  assert.equal(writes[0]!.verb, 'create');
  assert.deepEqual(writes[0]!.object.data, { 'ca.crt': caPem });
  assert.equal(writes[0]!.object.metadata?.annotations?.[descriptionAnnotation], rootCaDescription);
});

test('an edited kube-root-ca.crt is updated from a copy, never the cached object', async () => {
  const cached: KubeObject = { metadata: { name: 'kube-root-ca.crt', namespace: 'team', resourceVersion: '7' }, data: { 'ca.crt': 'tampered', extra: 'x' } };
  const { publisher, writes, configMapInformer } = setup([{ metadata: { name: 'team' } }], [cached]);
  await publisher.syncNamespace('team');
  assert.equal(writes[0]!.verb, 'update');
  assert.deepEqual(writes[0]!.object.data, { 'ca.crt': caPem });
  assert.equal(writes[0]!.object.metadata?.resourceVersion, '7');
  assert.equal((configMapInformer.cache.get('team/kube-root-ca.crt')!.data as Record<string, string>)['ca.crt'], 'tampered');
});

test('an up-to-date kube-root-ca.crt or a namespace being deleted needs no write', async () => {
  const current: KubeObject = { metadata: { name: 'kube-root-ca.crt', namespace: 'team', annotations: { [descriptionAnnotation]: rootCaDescription } }, data: { 'ca.crt': caPem } };
  const { publisher, writes } = setup([{ metadata: { name: 'team' } }, { metadata: { name: 'ending', deletionTimestamp: '2024-01-01T00:00:00Z' } }], [current]);
  await publisher.syncNamespace('team');
  await publisher.syncNamespace('ending');
  await publisher.syncNamespace('gone');
  assert.deepEqual(writes, []);
});
