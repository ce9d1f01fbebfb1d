import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseResolvConf, podDnsConfig, sandboxConfig } from './sandbox-config.js';

const host = () => parseResolvConf('# generated\nnameserver 10.0.0.2\nsearch corp.example\noptions ndots:2\n');

test('ClusterFirst without a cluster DNS uses the host resolv.conf, with dnsConfig merged in', () => {
  const pod: Pod = { spec: { containers: [], dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '5' }, { name: 'edns0' }] } } };
  assert.deepEqual(podDnsConfig(pod, host), { servers: ['10.0.0.2', '1.1.1.1'], searches: ['corp.example', 'a.example'], options: ['ndots:5', 'edns0'] });
});

test('dnsPolicy None uses only the pod dnsConfig', () => {
  const pod: Pod = { spec: { containers: [], dnsPolicy: 'None', dnsConfig: { nameservers: ['9.9.9.9'] } } };
  assert.deepEqual(podDnsConfig(pod, host), { servers: ['9.9.9.9'], searches: [], options: [] });
});

test('the sandbox carries the pod identity in labels and its log directory under the data dir', () => {
  const config = sandboxConfig({ metadata: { name: 'web', namespace: 'shop', uid: 'u1' }, spec: { containers: [{ name: 'c' }] } }, '/data', 0);
  assert.equal(config.logDirectory, '/data/log/pods/shop_web_u1');
  assert.equal(config.labels?.['io.kubernetes.pod.uid'], 'u1');
  assert.equal(config.hostname, 'web');
  assert.equal(config.linux?.cgroupParent, '/k8ts/kubepods/besteffort/podu1');
});
