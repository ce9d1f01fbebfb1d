import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { discoveryContentType, negotiateDiscovery } from './negotiate.js';

const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

describe('negotiateDiscovery', () => {
  it('gives kubectl 1.30+ aggregated v2', () => {
    assert.equal(negotiateDiscovery(`${V2},${V2BETA1},application/json`), 'aggregated-v2');
  });

  it('gives kubectl 1.27-1.29 aggregated v2beta1', () => {
    assert.equal(negotiateDiscovery(`${V2BETA1},application/json`), 'aggregated-v2beta1');
  });

  it('falls back to legacy for plain JSON, wildcards and no header', () => {
    assert.equal(negotiateDiscovery('application/json'), 'legacy');
    assert.equal(negotiateDiscovery('*/*'), 'legacy');
    assert.equal(negotiateDiscovery(undefined), 'legacy');
    assert.equal(negotiateDiscovery(''), 'legacy');
    assert.equal(negotiateDiscovery('application/yaml'), 'legacy');
  });

  it('honours q-values over header order', () => {
    assert.equal(negotiateDiscovery(`application/json;q=0.5,${V2}`), 'aggregated-v2');
    assert.equal(negotiateDiscovery(`${V2};q=0.1,application/json`), 'legacy');
    assert.equal(negotiateDiscovery(`${V2};q=0,application/json`), 'legacy');
  });

  it('skips clauses it cannot produce', () => {
    // Protobuf aggregated discovery is not served; the JSON clause behind it is.
    assert.equal(
      negotiateDiscovery(
        `application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,${V2}`,
      ),
      'aggregated-v2',
    );
    // Newer clients put a profile=nopeer clause first; a v1.32 server ignores it.
    assert.equal(negotiateDiscovery(`${V2};profile=nopeer,${V2},application/json`), 'aggregated-v2');
    assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList'), 'legacy');
    assert.equal(negotiateDiscovery('application/json;as=Table;v=v1;g=meta.k8s.io,application/json'), 'legacy');
  });

  it('accepts parameters in any order and with spaces', () => {
    assert.equal(
      negotiateDiscovery('application/json; as=APIGroupDiscoveryList; v=v2; g=apidiscovery.k8s.io , application/json'),
      'aggregated-v2',
    );
  });

  it('answers with the exact upstream content types', () => {
    assert.equal(discoveryContentType('aggregated-v2'), V2);
    assert.equal(discoveryContentType('aggregated-v2beta1'), V2BETA1);
    assert.equal(discoveryContentType('legacy'), 'application/json');
  });
});
