import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repackSubsets, truncateSubsets, type EndpointAddress, type EndpointSubset } from './subsets.js';

const address = (ip: string): EndpointAddress => ({ ip, targetRef: { kind: 'Pod', name: ip, uid: ip } });
const http = { name: 'http', port: 80, protocol: 'TCP' };
const https = { name: 'https', port: 443, protocol: 'TCP' };

test('addresses offering the same ports share one subset, sorted by IP', () => {
  const subsets: EndpointSubset[] = [
    { addresses: [address('10.0.0.3')], ports: [http] },
    { addresses: [address('10.0.0.3')], ports: [https] },
    { addresses: [address('10.0.0.1')], ports: [http] },
    { addresses: [address('10.0.0.1')], ports: [https] },
  ];
  assert.deepEqual(repackSubsets(subsets), [{ addresses: [address('10.0.0.1'), address('10.0.0.3')], ports: [http, https] }]);
});

test('an address not ready on a port is not ready there, even if listed ready too', () => {
  const subsets: EndpointSubset[] = [
    { addresses: [address('10.0.0.1')], ports: [http] },
    { notReadyAddresses: [address('10.0.0.1')], ports: [http] },
  ];
  assert.deepEqual(repackSubsets(subsets), [{ notReadyAddresses: [address('10.0.0.1')], ports: [http] }]);
});

test('past capacity, ready addresses alone over it drop every not-ready one and are cut in proportion', () => {
  const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => address(`${prefix}.${i}`));
  const subsets: EndpointSubset[] = [
    { addresses: many('10.0.1', 6), notReadyAddresses: many('10.0.9', 2), ports: [http] },
    { addresses: many('10.0.2', 4), ports: [https] },
  ];
  assert.equal(truncateSubsets(subsets, 5), true);
  assert.deepEqual(subsets.map((s) => [s.addresses?.length, s.notReadyAddresses?.length]), [[3, undefined], [2, undefined]]);
  assert.equal(truncateSubsets([{ addresses: many('10.0.3', 5) }], 5), false);
});
