import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterCidr, NodeCidrAllocator, PodIpAllocator } from './pod-cidr.js';

test('node CIDRs are distinct /24s of 10.244.0.0/16, skipping blocks other nodes hold', () => {
  const allocator = new NodeCidrAllocator('10.244.0.0/16', 24);
  allocator.markUsed('10.244.1.0/24');
  allocator.markUsed('192.168.0.0/24');
  assert.deepEqual([allocator.allocate(), allocator.allocate(), allocator.allocate()], ['10.244.0.0/24', '10.244.2.0/24', '10.244.3.0/24']);
});

test('a full cluster CIDR is an error that names the flag to change', () => {
  const allocator = new NodeCidrAllocator('10.244.0.0/23', 24);
  allocator.allocate();
  allocator.allocate();
  assert.throws(() => allocator.allocate(), /no free \/24 left .*--cluster-cidr/);
});

test('the default cluster CIDR grows beyond 256 nodes', () => {
  assert.equal(defaultClusterCidr(256, 24), '10.244.0.0/16');
  assert.equal(defaultClusterCidr(5000, 24), '10.128.0.0/9');
  assert.equal(new NodeCidrAllocator('10.128.0.0/9', 24).capacity, 32768);
});

test('pod IPs start at .2, are stable per pod and are reused after release', () => {
  const ips = new PodIpAllocator('10.244.3.0/24');
  assert.equal(ips.gateway, '10.244.3.1');
  assert.equal(ips.allocate('a'), '10.244.3.2');
  assert.equal(ips.allocate('b'), '10.244.3.3');
  assert.equal(ips.allocate('a'), '10.244.3.2');
  ips.release('a');
  assert.equal(ips.allocate('c'), '10.244.3.2');
  assert.equal(ips.inUse, 2);
});

test('reserved addresses from an earlier run are not handed out twice', () => {
  const ips = new PodIpAllocator('10.244.0.0/24');
  assert.equal(ips.reserve('old', '10.244.0.2'), true);
  assert.equal(ips.reserve('other', '10.244.0.2'), false);
  assert.equal(ips.reserve('x', '10.245.0.9'), false);
  assert.equal(ips.allocate('new'), '10.244.0.3');
});

test('an exhausted range answers undefined; network and broadcast are never used', () => {
  const ips = new PodIpAllocator('10.0.0.0/30');
  assert.equal(ips.allocate('a'), '10.0.0.2');
  assert.equal(ips.allocate('b'), undefined);
});
