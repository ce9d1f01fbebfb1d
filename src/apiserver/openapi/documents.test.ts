// The served documents: index, per-group-version documents, HTTP caching, Swagger 2.0.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOpenApiSchemas } from '../../../scripts/gen-openapi.js';
import { setSchemasPathForTesting } from './schema-store.js';
import { openApiDocument, openApiIndex, computeETag } from './openapi-v3.js';
import { openApiV2Document, openApiV2Protobuf } from './openapi-v2.js';
import { serveOpenApi } from './http.js';
import { builtinResources } from '../../api/resources/catalog.js';
import { groupVersionIndexPath } from './naming.js';

type Json = { [key: string]: any };

const scratch = mkdtempSync(join(tmpdir(), 'k8ts-openapi-'));
setSchemasPathForTesting(generateOpenApiSchemas(join(scratch, 'schemas.json')));
after(() => rmSync(scratch, { recursive: true, force: true }));

function parsed(path: string): Json {
  const document = openApiDocument(path);
  assert.ok(document, `no document at ${path}`);
  return JSON.parse(document.body.toString('utf8')) as Json;
}

function operations(doc: Json): Array<{ path: string; method: string; op: Json }> {
  const out: Array<{ path: string; method: string; op: Json }> = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) if (item[method]) out.push({ path, method, op: item[method] });
  }
  return out;
}

test('the index lists every served group version with a hash-pinned URL', () => {
  const index = openApiIndex();
  for (const key of ['api', 'apis', 'version', '.well-known/openid-configuration', 'api/v1', 'apis/apps/v1', 'apis/apps', 'apis/autoscaling/v1', 'apis/autoscaling/v2']) {
    assert.ok(index.paths[key], `missing ${key}`);
  }
  for (const info of builtinResources) assert.ok(index.paths[groupVersionIndexPath(info.group, info.version)]);
  const apps = index.paths['apis/apps/v1']!;
  assert.equal(apps.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${openApiDocument('apis/apps/v1')!.etag}`);
  assert.match(openApiDocument('apis/apps/v1')!.etag, /^[0-9A-F]{128}$/);
  assert.equal(openApiDocument('apis/nope/v1'), undefined);
  assert.equal(openApiDocument('/openapi/v3/apis/apps/v1'), openApiDocument('apis/apps/v1'), 'memoised, prefix tolerated');
});

test('apps/v1 has upstream paths and operations for deployments', () => {
  const doc = parsed('apis/apps/v1');
  assert.equal(doc.openapi, '3.0.0');
  const collection = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'];
  assert.equal(collection.get.operationId, 'listAppsV1NamespacedDeployment');
  assert.equal(collection.post.operationId, 'createAppsV1NamespacedDeployment');
  assert.equal(collection.delete.operationId, 'deleteAppsV1CollectionNamespacedDeployment');
  const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.equal(item.patch.operationId, 'patchAppsV1NamespacedDeployment');
  assert.equal(item.patch['x-kubernetes-action'], 'patch');
  assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.deepEqual(Object.keys(item.patch.requestBody.content).sort(), [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
  ]);
  for (const name of ['dryRun', 'fieldManager', 'fieldValidation', 'force']) {
    assert.ok(item.patch.parameters.some((p: Json) => p.name === name), `patch lacks ${name}`);
  }
  assert.ok(item.parameters.some((p: Json) => p.name === 'pretty'));
  assert.equal(doc.paths['/apis/apps/v1/deployments'].get.operationId, 'listAppsV1DeploymentForAllNamespaces');
  const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.equal(scale.patch.operationId, 'patchAppsV1NamespacedDeploymentScale');
  assert.deepEqual(scale.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.ok(doc.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
  assert.ok(doc.components.schemas['io.k8s.api.apps.v1.DeploymentStrategy']);
  assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']);
  assert.equal(doc.components.schemas['io.k8s.api.batch.v1.Job'], undefined, 'only what the group version reaches');
});

test('every PATCH operation of every document offers fieldValidation inline (kubectl probes it)', () => {
  for (const key of Object.keys(openApiIndex().paths)) {
    const doc = parsed(key);
    for (const { path, method, op } of operations(doc)) {
      assert.ok(op.operationId, `${method} ${path} lacks operationId`);
      if (method === 'patch' && op['x-kubernetes-action'] === 'patch') {
        assert.ok(op.parameters.some((p: Json) => p.name === 'fieldValidation' && p.in === 'query'), `${path} patch`);
      }
    }
    const text = JSON.stringify(doc);
    for (const match of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      assert.ok(doc.components.schemas[match[1]!], `${key}: unresolved ${match[1]}`);
    }
  }
});

test('core v1 covers cluster-scoped, namespaced and subresource paths', () => {
  const doc = parsed('api/v1');
  assert.equal(doc.paths['/api/v1/nodes/{name}'].get.operationId, 'readCoreV1Node');
  assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'].put.operationId, 'replaceCoreV1NamespacedPodStatus');
  assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'].post['x-kubernetes-action'], 'connect');
  assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post.operationId, 'createCoreV1NamespacedPodEviction');
  assert.ok(doc.paths['/api/v1/namespaces/{namespace}/services/{name}/proxy/{path}']);
  const podSpec = doc.components.schemas['io.k8s.api.core.v1.PodSpec'];
  assert.equal(podSpec.properties.containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(podSpec.properties.containers['x-kubernetes-patch-strategy'], 'merge');
});

test('HTTP: ETag, 304, hash redirects and immutable caching', () => {
  const document = openApiDocument('apis/apps/v1')!;
  const pinned = serveOpenApi('/openapi/v3/apis/apps/v1', new URLSearchParams({ hash: document.etag }), { accept: 'application/json' })!;
  assert.equal(pinned.status, 200);
  assert.equal(pinned.headers.Etag, `"${document.etag}"`);
  assert.equal(pinned.headers['Cache-Control'], 'public, immutable');
  assert.match(pinned.headers.Expires!, /UTC$/);
  assert.equal(pinned.headers['Content-Type'], 'application/json');
  const stale = serveOpenApi('/openapi/v3/apis/apps/v1', new URLSearchParams({ hash: 'ABC' }), {})!;
  assert.equal(stale.status, 301);
  assert.equal(stale.headers.Location, `/openapi/v3/apis/apps/v1?hash=${document.etag}`);
  const unpinned = serveOpenApi('/openapi/v3/apis/apps/v1', new URLSearchParams(), {})!;
  assert.equal(unpinned.headers['Cache-Control'], undefined);
  const cached = serveOpenApi('/openapi/v3/apis/apps/v1', new URLSearchParams(), { ifNoneMatch: `"${document.etag}"` })!;
  assert.equal(cached.status, 304);
  assert.equal(serveOpenApi('/openapi/v3/apis/apps/v1', new URLSearchParams(), { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' })!.status, 406);
  assert.equal(serveOpenApi('/openapi/v3/apis/nope/v1', new URLSearchParams(), {})!.status, 404);
  const index = serveOpenApi('/openapi/v3', new URLSearchParams(), {})!;
  assert.equal(index.status, 200);
  assert.equal(index.headers.Etag, `"${computeETag(index.body)}"`);
  assert.equal(serveOpenApi('/api/v1', new URLSearchParams(), {}), undefined);
});

test('Swagger 2.0: definitions refs, lowered int-or-string, protobuf on request', () => {
  const spec = JSON.parse(openApiV2Document().body.toString('utf8')) as Json;
  assert.equal(spec.swagger, '2.0');
  const text = JSON.stringify(spec);
  assert.ok(!text.includes('#/components/schemas/'));
  assert.deepEqual(spec.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, 'string');
  assert.equal(spec.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy.$ref, '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy');
  const patch = spec.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.ok(patch.parameters.some((p: Json) => p.in === 'body'));
  assert.ok(patch.parameters.some((p: Json) => p.name === 'fieldValidation' && p.type === 'string'));
  assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
  const proto = serveOpenApi('/openapi/v2', new URLSearchParams(), { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' })!;
  assert.equal(proto.status, 200);
  assert.equal(proto.headers['Content-Type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  assert.equal(proto.body, openApiV2Protobuf().body);
  assert.equal(proto.body[0], 0x0a, 'field 1 (swagger) first');
  assert.equal(serveOpenApi('/openapi/v2', new URLSearchParams(), {})!.headers['Content-Type'], 'application/json');
});
