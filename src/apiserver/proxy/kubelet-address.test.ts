import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostPort, kubeletAddress } from './kubelet-address.js';

test('the kubelet is reached at the InternalIP before other addresses, on the reported port', () => {
  const node = {
    metadata: { name: 'n' },
    status: { addresses: [{ type: 'Hostname', address: 'n' }, { type: 'InternalIP', address: '10.0.0.5' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } },
  };
  assert.deepEqual(kubeletAddress(node), { host: '10.0.0.5', port: 10250 });
  assert.equal(hostPort({ host: 'fd00::1', port: 10250 }), '[fd00::1]:10250');
  assert.deepEqual(kubeletAddress({ status: { addresses: [{ type: 'Hostname', address: 'n' }], daemonEndpoints: { kubeletEndpoint: { Port: 1 } } } }), { host: 'n', port: 1 });
  assert.throws(() => kubeletAddress({ metadata: { name: 'n' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.5' }] } }), /no kubelet endpoint port/);
});
