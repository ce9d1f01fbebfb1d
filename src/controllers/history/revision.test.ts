import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from '../../client/index.js';
import { FakeClock } from '../common/clock.js';
import { fakeInformer } from '../fakes.test-support.js';
import { fakeResource } from './fake-api.test-support.js';
import { RevisionHistory } from './history.js';
import { controllerRevisionName, equalRevision, newControllerRevision, nextRevision, sortRevisions, templateOfRevision, templatePatch } from './revision.js';
import type { ControllerRevision } from './types.js';

const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default', uid: 'u1' } };
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

function revision(number: number, data: unknown = templatePatch(template as never), collisionCount = 0): ControllerRevision {
  return newControllerRevision({ owner, ownerApiVersion: 'apps/v1', ownerKind: 'StatefulSet', templateLabels: { app: 'web' }, data, revision: number, collisionCount });
}

test('a revision is named <owner>-<hash>, labelled with the hash and the template labels, and owned by its owner', () => {
  const r = revision(1);
  const hash = r.metadata?.labels?.['controller-revision-hash'];
  assert.equal(r.metadata?.name, `web-${hash}`);
  assert.equal(r.metadata?.labels?.app, 'web');
  assert.deepEqual(r.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
  assert.notEqual(revision(1, undefined, 1).metadata?.name, r.metadata?.name, 'the collision count changes the name');
  assert.equal(controllerRevisionName('x'.repeat(300), 'h').length, 225);
});

test('the data is a strategic merge patch replacing spec.template, and gives the template back', () => {
  const data = templatePatch(template as never);
  assert.equal(data.spec.template.$patch, 'replace');
  assert.deepEqual(templateOfRevision(revision(1)), template);
});

test('revisions sort by number and compare by data regardless of key order', () => {
  const sorted = sortRevisions([revision(3), revision(1), revision(2)]);
  assert.deepEqual(sorted.map((r) => r.revision), [1, 2, 3]);
  assert.equal(nextRevision(sorted), 4);
  assert.equal(nextRevision([]), 1);
  const reordered = revision(1, { spec: { template: { $patch: 'replace', spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { app: 'web' } } } } });
  assert.ok(equalRevision(revision(1), reordered));
  assert.ok(!equalRevision(revision(1), revision(1, templatePatch({ spec: { containers: [] } } as never))));
});

test('creating a revision whose name is taken by other data bumps the collision count', async () => {
  const store = new Store();
  const client = fakeResource(store, 'ControllerRevision', new FakeClock());
  const history = new RevisionHistory(fakeInformer(), client);
  const wanted = revision(2);
  // Another revision already holds the name the wanted one hashes to.
  const squatter = { ...revision(1, { other: true }), metadata: { ...wanted.metadata } };
  await client.create('default', squatter);
  const { revision: created, collisionCount } = await history.create(owner, wanted, 0);
  assert.equal(collisionCount, 1);
  assert.notEqual(created.metadata?.name, wanted.metadata?.name);
  const again = await history.create(owner, wanted, 1);
  assert.equal(again.revision.metadata?.uid, created.metadata?.uid, 'the same data under the same name is that revision');
});

test('list returns the owner\'s and orphaned revisions that match the selector, not other owners\'', () => {
  const mine = revision(1);
  const orphan = { ...revision(2, { x: 1 }), metadata: { ...revision(2, { x: 1 }).metadata, ownerReferences: [] } };
  const theirs = { ...revision(3, { y: 1 }), metadata: { ...revision(3, { y: 1 }).metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'old', controller: true }] } };
  const history = new RevisionHistory(fakeInformer([mine, orphan, theirs]), fakeResource(new Store(), 'ControllerRevision', new FakeClock()));
  assert.deepEqual(history.list(owner, { matchLabels: { app: 'web' } }).map((r) => r.revision).sort(), [1, 2]);
});
