import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goArch, hostResources, osImage } from './host-info.js';

test('the OS image is the PRETTY_NAME of os-release', () => {
  assert.equal(osImage('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(osImage(''), 'Linux');
});

test('architectures use Go names; capacity is the host, allocatable keeps back the eviction thresholds', () => {
  assert.equal(goArch('x64'), 'amd64');
  const { capacity, allocatable } = hostResources('/');
  assert.equal(capacity['pods'], '110');
  assert.ok(Number(capacity['cpu']) >= 1);
  assert.ok(parseInt(allocatable['memory']!, 10) < parseInt(capacity['memory']!, 10));
});
