import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTarget } from './target.js';

const targets = [
  '/',
  '/api/v1/namespaces/default/pods',
  '/api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict',
  '/api/v1/namespaces/default/pods/web/status?dryRun=All&dryRun=All',
  '/api/v1/pods?labelSelector=app%3Dweb%2Ctier+in+(a,b)&limit=500',
  '/api/v1/pods?fieldSelector=spec.nodeName=node-1&watch=1&resourceVersion=12&allowWatchBookmarks=true',
  '/api/v1/pods?',
  '/api/v1/pods??a=b',
  '/api/v1/pods?a=%zz&b=%&c=%41',
  '/api/v1/pods?a=b#frag',
  '/api/v1/pods#frag',
  '/api/v1/namespaces/a%2Fb/pods',
  '/api/v1/namespaces/x/pods/a:b@c',
  '/api/v1/./pods',
  '/api/v1/../v1/pods',
  '/api/v1/pods/..',
  '/api/v1/pods/.',
  '/api/v1/pods/...',
  '/api/v1/pods/.hidden',
  '/api/v1/pods/%2e%2e/x',
  '//evil/api/v1/pods',
  '/api//v1/pods',
  '/api/v1/pods\\x',
  "/api/v1/pods?name='x'",
  '/api/v1/pods?name="x"',
  '/api/v1/pods/ü',
  '/api/v1/pods?name=ü',
  '/api/v1/pods/{x}',
  '/api/v1/pods?a=<b>',
  '/api/v1/pods?a=`b`',
  '/api/v1/pods?a=^b|c',
  '/api/v1/pods/a^b|c',
  '*',
  'http://host/api/v1/pods?x=1',
  '/api/v1/pods?a=b c',
];

test('parseTarget gives the path and query new URL gives, for plain and unusual targets', () => {
  for (const target of targets) {
    const url = new URL(target, 'https://k8ts');
    const parsed = parseTarget(target);
    assert.equal(parsed.pathname, url.pathname, target);
    assert.deepEqual([...parsed.searchParams], [...url.searchParams], target);
    assert.equal(parsed.searchParams.toString(), url.searchParams.toString(), target);
  }
});
