import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pullPolicy } from './start.js';

test('pull policy defaults as the API server does: Always for :latest or no tag, else IfNotPresent', () => {
  assert.equal(pullPolicy({ name: 'c', image: 'busybox' }), 'Always');
  assert.equal(pullPolicy({ name: 'c', image: 'busybox:latest' }), 'Always');
  assert.equal(pullPolicy({ name: 'c', image: 'busybox:1.36' }), 'IfNotPresent');
  assert.equal(pullPolicy({ name: 'c', image: 'localhost:5000/app' }), 'Always', 'a registry port is not a tag');
  assert.equal(pullPolicy({ name: 'c', image: 'busybox@sha256:abc' }), 'IfNotPresent');
  assert.equal(pullPolicy({ name: 'c', image: 'busybox', imagePullPolicy: 'Never' }), 'Never');
});
