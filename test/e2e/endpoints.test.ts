// The endpoints and endpoint slice controllers inside `k8ts server`, on simulated nodes: a
// Service's pods show up in its Endpoints and EndpointSlice, ready ones as addresses and
// not-ready ones apart, with named target ports resolved per pod.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster({ extraArgs: ['--sim-nodes', '2'] });
});
after(async () => {
  await cluster?.destroy();
});


const getJson = (args: string[]): Promise<any> => cluster.json(args);

const podManifest = (name: string, port: number, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' }, annotations },
  spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: port }] }] },
});

test('a Service gets Endpoints and an EndpointSlice of its pods, not-ready ones apart, named ports resolved', async () => {
  const items = [
    podManifest('web-a', 8080),
    podManifest('web-b', 9090),
    podManifest('web-slow', 8080, { 'sim.k8ts.io/not-ready': 'true' }),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
  ];
  await cluster.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });

  const endpoints = await eventually('endpoints with 2 ready and 1 not-ready address', async () => {
    const object = await getJson(['endpoints', 'web']);
    const ready = (object?.subsets ?? []).flatMap((s: any) => s.addresses ?? []);
    const notReady = (object?.subsets ?? []).flatMap((s: any) => s.notReadyAddresses ?? []);
    return ready.length === 2 && notReady.length === 1 ? object : undefined;
  });
  assert.equal(endpoints.metadata.labels.tier, 'front');
  const byPod = new Map<string, { port: number; ready: boolean; nodeName: string }>();
  for (const subset of endpoints.subsets) {
    for (const address of subset.addresses ?? []) byPod.set(address.targetRef.name, { port: subset.ports[0].port, ready: true, nodeName: address.nodeName });
    for (const address of subset.notReadyAddresses ?? []) byPod.set(address.targetRef.name, { port: subset.ports[0].port, ready: false, nodeName: address.nodeName });
  }
  assert.deepEqual([...byPod.keys()].sort(), ['web-a', 'web-b', 'web-slow']);
  assert.equal(byPod.get('web-a')!.port, 8080);
  assert.equal(byPod.get('web-b')!.port, 9090);
  assert.equal(byPod.get('web-slow')!.ready, false);
  assert.match(byPod.get('web-a')!.nodeName, /^sim-node-/);

  const table = await cluster.ok(['get', 'endpoints', 'web']);
  assert.match(table, /^NAME\s+ENDPOINTS\s+AGE/);
  assert.match(table, /web\s+\S+:(8080|9090),\S+:(8080|9090)\s/);

  const slices = await eventually('an EndpointSlice with 3 endpoints', async () => {
    const list = await getJson(['endpointslices', '-l', 'kubernetes.io/service-name=web']);
    const count = (list?.items ?? []).reduce((n: number, s: any) => n + (s.endpoints?.length ?? 0), 0);
    return count === 3 ? list.items : undefined;
  });
  for (const slice of slices) {
    assert.match(slice.metadata.name, /^web-[a-z0-9]{5}$/);
    assert.equal(slice.addressType, 'IPv4');
    assert.equal(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice.metadata.labels.tier, 'front');
    assert.deepEqual(slice.metadata.ownerReferences.map((ref: any) => [ref.kind, ref.name, ref.controller]), [['Service', 'web', true]]);
  }
  const endpointsOf = slices.flatMap((s: any) => s.endpoints.map((e: any) => ({ ...e, port: s.ports[0].port })));
  const slow = endpointsOf.find((e: any) => e.targetRef.name === 'web-slow');
  assert.deepEqual(slow.conditions, { ready: false, serving: false, terminating: false });
  assert.equal(endpointsOf.find((e: any) => e.targetRef.name === 'web-b').port, 9090);

  const sliceTable = await cluster.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
  assert.match(sliceTable, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE/);
  assert.match(sliceTable, /web-\S+\s+IPv4\s+(8080|9090)\s/);
});

test('a deleted pod leaves, and a deleted Service takes its Endpoints and slices with it', async () => {
  await cluster.ok(['delete', 'pod', 'web-b', '--wait=false']);
  await eventually('web-b gone from the endpoints', async () => {
    const object = await getJson(['endpoints', 'web']);
    const names = (object?.subsets ?? []).flatMap((s: any) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])].map((a: any) => a.targetRef.name));
    return names.length > 0 && !names.includes('web-b') ? true : undefined;
  });
  await cluster.ok(['delete', 'service', 'web']);
  await eventually('endpoints and slices of web gone', async () => {
    const endpoints = await cluster.kubectl(['get', 'endpoints', 'web']);
    const slices = await getJson(['endpointslices', '-l', 'kubernetes.io/service-name=web']);
    return endpoints.code !== 0 && slices?.items.length === 0 ? true : undefined;
  });
});

test('the kubernetes Service keeps the API server endpoints, untouched by the controllers', async () => {
  const slices = await getJson(['endpointslices', '-n', 'default', '-l', 'kubernetes.io/service-name=kubernetes']);
  for (const slice of slices.items) assert.notEqual(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
});

test('hand-written Endpoints of a selector-less Service are mirrored into an EndpointSlice', async () => {
  const items = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'external-db' }, spec: { ports: [{ name: 'pg', port: 5432 }] } },
    { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-db' }, subsets: [{ addresses: [{ ip: '192.168.10.5' }], ports: [{ name: 'pg', port: 5432 }] }] },
  ];
  await cluster.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
  const slice = await eventually('a mirrored EndpointSlice', async () => {
    const list = await getJson(['endpointslices', '-l', 'kubernetes.io/service-name=external-db']);
    return list?.items[0]?.endpoints?.length === 1 ? list.items[0] : undefined;
  });
  assert.equal(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
  assert.deepEqual(slice.endpoints[0].addresses, ['192.168.10.5']);
  assert.deepEqual(slice.ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
  assert.deepEqual(slice.metadata.ownerReferences.map((ref: any) => ref.kind), ['Endpoints']);
  // The Endpoints stay as written: the endpoints controller leaves selector-less Services alone.
  const endpoints = await getJson(['endpoints', 'external-db']);
  assert.deepEqual(endpoints.subsets[0].addresses, [{ ip: '192.168.10.5' }]);
});
