// Service cluster IPs and node ports: never handed out twice, and free again as soon as the
// Service that held them is deleted or stops needing them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.destroy();
});

test('a node port in use is refused, and freed when its Service becomes ClusterIP', async () => {
  await cluster.ok(['create', 'service', 'nodeport', 'first', '--tcp=80:80', '--node-port=30555']);
  const taken = await cluster.kubectl(['create', 'service', 'nodeport', 'second', '--tcp=80:80', '--node-port=30555']);
  assert.match(taken.stderr, /spec\.ports\[0\]\.nodePort: Invalid value: 30555: provided port is already allocated/);
  await cluster.ok(['patch', 'service', 'first', '--type=merge', '-p', '{"spec":{"type":"ClusterIP"}}']);
  assert.equal(await cluster.ok(['get', 'svc', 'first', '-o', 'jsonpath={.spec.ports[0].nodePort}']), '');
  await cluster.ok(['create', 'service', 'nodeport', 'second', '--tcp=80:80', '--node-port=30555']);
});

test('a cluster IP is refused while held and free again after its Service is deleted', async () => {
  const ip = await cluster.ok(['get', 'svc', 'first', '-o', 'jsonpath={.spec.clusterIP}']);
  const manifest = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { clusterIP: ip, ports: [{ port: 80 }] } });
  const taken = await cluster.kubectl(['create', '-f', '-'], { input: manifest('third') });
  assert.match(taken.stderr, new RegExp(`failed to allocate IP ${ip.replace(/\./g, '\\.')}: provided IP is already allocated`));
  await cluster.ok(['delete', 'service', 'first']);
  await cluster.ok(['create', '-f', '-'], { input: manifest('third') });
  assert.equal(await cluster.ok(['get', 'svc', 'third', '-o', 'jsonpath={.spec.clusterIP}']), ip);
});

test('an IP outside the service range is refused with the range in the message', async () => {
  const outside = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'outside' }, spec: { clusterIP: '192.168.7.7', ports: [{ port: 80 }] } });
  const refused = await cluster.kubectl(['create', '-f', '-'], { input: outside });
  assert.match(refused.stderr, /The range of valid IPs is 10\.96\.0\.0\/12/);
});
