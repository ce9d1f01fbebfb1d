import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { containerResources, milliCpuToQuota, milliCpuToShares, podCgroupParent } from './resources.js';

test('cpu requests become shares (min 2) and limits a quota over a 100 ms period', () => {
  assert.equal(milliCpuToShares(0), 2);
  assert.equal(milliCpuToShares(1), 2);
  assert.equal(milliCpuToShares(100), 102);
  assert.equal(milliCpuToShares(1000), 1024);
  assert.equal(milliCpuToQuota(500), 50_000);
  assert.equal(milliCpuToQuota(1), 1_000, 'the kernel minimum');
  assert.deepEqual(containerResources({ name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } } }), {
    cpuShares: 256,
    cpuQuota: 100_000,
    cpuPeriod: 100_000,
    memoryLimitInBytes: 128 * 1024 * 1024,
  });
  assert.deepEqual(containerResources({ name: 'b' }), { cpuShares: 2 });
});

test('the pod cgroup sits under its QoS class; Guaranteed directly under kubepods', () => {
  const pod = (resources: object): Pod => ({ metadata: { uid: 'u1' }, spec: { containers: [{ name: 'c', resources }] } });
  assert.equal(podCgroupParent(pod({})), '/k8ts/kubepods/besteffort/podu1');
  assert.equal(podCgroupParent(pod({ requests: { cpu: '100m' } })), '/k8ts/kubepods/burstable/podu1');
  const limits = { cpu: '1', memory: '1Gi' };
  assert.equal(podCgroupParent(pod({ limits, requests: limits })), '/k8ts/kubepods/podu1');
});
