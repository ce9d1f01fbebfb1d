import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makePod } from '../testing.js';
import { DEFAULT_MEMORY_REQUEST_BYTES, DEFAULT_MILLI_CPU_REQUEST, podRequests } from './resource.js';

const GI = 1024 ** 3;

test('podRequests sums containers and takes the largest init container when it is bigger', () => {
  const pod = makePod('p', {
    containers: [
      { name: 'a', resources: { requests: { cpu: '100m', memory: '1Gi' } } },
      { name: 'b', resources: { requests: { cpu: '200m' } } },
    ],
    spec: { initContainers: [{ name: 'init', resources: { requests: { cpu: '1', memory: '512Mi' } } }] },
  });
  const r = podRequests(pod);
  assert.equal(r.milliCpu, 1000);
  assert.equal(r.memoryBytes, GI);
});

test('podRequests adds sidecars to the sum and to every later init step, and adds overhead', () => {
  const pod = makePod('p', {
    containers: [{ name: 'app', resources: { requests: { cpu: '500m' } } }],
    spec: {
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '300m' } } },
        { name: 'init', resources: { requests: { cpu: '700m' } } },
      ],
      overhead: { cpu: '50m' },
    },
  });
  // app 500 + sidecar 300 = 800 < init step 700 + sidecar 300 = 1000; plus 50 overhead.
  assert.equal(podRequests(pod).milliCpu, 1050);
});

test('podRequests with nonZero fills only missing cpu/memory requests', () => {
  const pod = makePod('p', { containers: [{ name: 'a', resources: { requests: { cpu: '0' } } }] });
  const r = podRequests(pod, { nonZero: true });
  assert.equal(r.milliCpu, 0);
  assert.equal(r.memoryBytes, DEFAULT_MEMORY_REQUEST_BYTES);
  assert.equal(podRequests(makePod('q'), { nonZero: true }).milliCpu, DEFAULT_MILLI_CPU_REQUEST);
});

test('extended resources land in the scalar map', () => {
  const pod = makePod('p', { containers: [{ name: 'a', resources: { requests: { 'nvidia.com/gpu': '2' } } }] });
  assert.equal(podRequests(pod).scalar.get('nvidia.com/gpu'), 2);
});

test('quantities parsed once are read back the same, and bad ones keep failing', () => {
  const pod = makePod('p', { cpu: '1500m', memory: '1.5Gi' });
  for (let i = 0; i < 3; i++) {
    const r = podRequests(makePod(`p${i}`, { cpu: '1500m', memory: '1.5Gi' }));
    assert.equal(r.milliCpu, 1500);
    assert.equal(r.memoryBytes, 1.5 * GI);
  }
  assert.equal(podRequests(pod).milliCpu, 1500);
  for (let i = 0; i < 2; i++) assert.throws(() => podRequests(makePod('bad', { cpu: '1.5.5' })));
});
