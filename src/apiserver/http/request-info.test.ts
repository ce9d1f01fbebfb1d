import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestInfo } from './request-info.js';

const parse = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  return parseRequestInfo(method, u.pathname, u.searchParams);
};

test('parses namespaced resource paths with names and subresources', () => {
  assert.deepEqual(parse('GET', '/api/v1/namespaces/default/pods/web/status'), {
    kind: 'resource', verb: 'get', group: '', version: 'v1', namespace: 'default', resource: 'pods', subresource: 'status', name: 'web', rest: [],
  });
  const list = parse('GET', '/apis/apps/v1/namespaces/kube-system/deployments');
  assert.equal(list.kind === 'resource' && list.verb, 'list');
  const create = parse('POST', '/apis/apps/v1/namespaces/kube-system/deployments');
  assert.equal(create.kind === 'resource' && create.verb, 'create');
});

test('recognises watches by query and by the legacy /watch/ prefix', () => {
  const q = parse('GET', '/api/v1/pods?watch=true');
  assert.equal(q.kind === 'resource' && q.verb, 'watch');
  const legacy = parse('GET', '/api/v1/watch/namespaces/ns/pods');
  assert.ok(legacy.kind === 'resource' && legacy.verb === 'watch' && legacy.namespace === 'ns' && legacy.resource === 'pods');
});

test('a namespace object itself is a cluster-scoped resource named by the path', () => {
  const ns = parse('GET', '/api/v1/namespaces/default');
  assert.ok(ns.kind === 'resource' && ns.resource === 'namespaces' && ns.name === 'default');
  const all = parse('GET', '/api/v1/namespaces');
  assert.ok(all.kind === 'resource' && all.verb === 'list' && all.namespace === '');
  const fin = parse('PUT', '/api/v1/namespaces/x/finalize');
  assert.ok(fin.kind === 'resource' && fin.name === 'x' && fin.subresource === 'finalize');
});

test('DELETE without a name is deletecollection; discovery paths are non-resource', () => {
  const dc = parse('DELETE', '/api/v1/namespaces/ns/pods');
  assert.equal(dc.kind === 'resource' && dc.verb, 'deletecollection');
  assert.equal(parse('GET', '/apis/apps/v1').kind, 'nonresource');
  assert.equal(parse('GET', '/api/v1').kind, 'nonresource');
  assert.equal(parse('GET', '/version').kind, 'nonresource');
});
