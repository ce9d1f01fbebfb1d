import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidReferenceError, normalizeReference, parseReference } from './reference.js';

test('short names expand as Docker expands them', () => {
  assert.equal(normalizeReference('busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalizeReference('nginx:1.27'), 'docker.io/library/nginx:1.27');
  assert.equal(normalizeReference('bitnami/redis'), 'docker.io/bitnami/redis:latest');
  assert.equal(normalizeReference('127.0.0.1:5000/team/app:v1'), '127.0.0.1:5000/team/app:v1');
  assert.equal(normalizeReference('localhost/app'), 'localhost/app:latest');
  assert.equal(normalizeReference('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
});

test('digests are kept and tags are optional with them', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(parseReference(`busybox@${digest}`), { domain: 'docker.io', path: 'library/busybox', digest });
  assert.equal(normalizeReference(`quay.io/x/y:1@${digest}`), `quay.io/x/y:1@${digest}`);
});

test('invalid references are refused in Docker words', () => {
  assert.throws(() => parseReference('Busybox'), InvalidReferenceError);
  assert.throws(() => parseReference('busybox:'), /invalid reference format/);
  assert.throws(() => parseReference(''), /invalid reference format/);
});
