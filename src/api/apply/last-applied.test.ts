import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../errors.js';
import type { KubeObject } from '../object.js';
import { applyConfig, emptyObjectFor, LAST_APPLIED_ANNOTATION, recordUpdate, typeInfoForKind } from './index.js';
import { goJson } from './last-applied.js';

const type = typeInfoForKind('apps/v1', 'Deployment');
const t0 = new Date('2024-05-01T10:00:00Z');
const t1 = new Date('2024-05-01T10:30:00Z');

const config = (replicas: number): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
});

/** What `kubectl apply` (client-side) leaves behind: the annotation, owned by kubectl-client-side-apply. */
function clientSideApplied(replicas: number): KubeObject {
  const obj = config(replicas);
  obj.metadata!.annotations = { [LAST_APPLIED_ANNOTATION]: `${goJson(config(replicas))}\n` };
  const managedFields = recordUpdate({ old: undefined, updated: obj, manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', now: t0, typeInfo: type, emptyObject: emptyObjectFor('apps/v1', 'Deployment', true) });
  return { ...obj, metadata: { ...obj.metadata, uid: 'u-1', managedFields } } as KubeObject;
}

test('kubectl apply --server-side after client-side apply takes over the annotated fields without force', () => {
  const live = clientSideApplied(2);
  const { object } = applyConfig({ live, config: config(4), manager: 'kubectl', apiVersion: 'apps/v1', typeInfo: type, now: t1 });
  assert.equal((object.spec as any).replicas, 4);
  const byManager = Object.fromEntries(object.metadata!.managedFields!.map((e) => [e.manager, e.fieldsV1 as any]));
  assert.deepEqual(byManager.kubectl['f:spec']['f:replicas'], {});
  assert.equal(byManager['kubectl-client-side-apply']['f:spec']['f:replicas'], undefined);
  // The annotation follows the server-side applied config, so a later client-side apply diffs correctly.
  assert.equal(object.metadata!.annotations![LAST_APPLIED_ANNOTATION], `${goJson(config(4))}\n`);
});

test('fields changed since the last client-side apply still conflict, and other managers get no pass', () => {
  const live = clientSideApplied(2);
  (live.spec as any).replicas = 7; // e.g. kubectl scale, without touching the annotation
  assert.throws(
    () => applyConfig({ live, config: config(4), manager: 'kubectl', apiVersion: 'apps/v1', typeInfo: type, now: t1 }),
    (err: unknown) => err instanceof StatusError && err.code === 409 && /conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas/.test(err.message),
  );
  const fresh = clientSideApplied(2);
  assert.throws(() => applyConfig({ live: fresh, config: config(4), manager: 'my-tool', apiVersion: 'apps/v1', typeInfo: type, now: t1 }), StatusError);
});

test('an object without managedFields is first attributed to before-first-apply', () => {
  const live = { ...config(2), metadata: { name: 'web', namespace: 'default', uid: 'u-1' } } as KubeObject;
  assert.throws(
    () => applyConfig({ live, config: config(3), manager: 'ops', apiVersion: 'apps/v1', typeInfo: type, now: t1 }),
    /conflict with "before-first-apply" using apps\/v1: \.spec\.replicas/,
  );
  const { object } = applyConfig({ live, config: config(2), manager: 'ops', apiVersion: 'apps/v1', typeInfo: type, now: t1 });
  assert.deepEqual(object.metadata!.managedFields!.map((e) => e.manager), ['ops', 'before-first-apply']);
});
