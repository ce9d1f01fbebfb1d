import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familiarName, humanDuration, humanSize, repositoryAndTag, table } from './image-format.js';

test('images are shown with Docker\'s familiar names, durations and sizes', () => {
  assert.equal(familiarName('docker.io/library/busybox:latest'), 'busybox:latest');
  assert.equal(familiarName('docker.io/foo/bar:1'), 'foo/bar:1');
  assert.deepEqual(repositoryAndTag('127.0.0.1:5000/k8ts/app:v1'), ['127.0.0.1:5000/k8ts/app', 'v1']);
  assert.equal(humanDuration(90_000), 'About a minute');
  assert.equal(humanDuration(3 * 3_600_000), '3 hours');
  assert.equal(humanDuration(3 * 86_400_000), '3 days');
  assert.equal(humanSize(4_261_234), '4.26MB');
  assert.equal(humanSize(512), '512B');
  assert.equal(table([['REPOSITORY', 'TAG'], ['busybox', 'latest']]), 'REPOSITORY   TAG\nbusybox      latest\n');
});
