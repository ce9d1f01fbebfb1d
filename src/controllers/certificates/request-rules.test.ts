import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ParsedCertificateRequest } from '../../pki/csr.js';
import { apiServerClientUsagesError, kubeletClientRequestError, kubeletServingRequestError } from './request-rules.js';

function request(overrides: Partial<ParsedCertificateRequest>): ParsedCertificateRequest {
  return { commonName: 'system:node:n2', organizations: ['system:nodes'], dnsNames: ['n2'], ipAddresses: [], emailAddresses: [], uris: [], publicKeyAlgorithm: 'ECDSA', request: undefined as never, ...overrides };
}

test('kubelet serving requests follow upstream ValidateKubeletServingCSR, in its order', () => {
  const usages = ['digital signature', 'server auth'];
  assert.equal(kubeletServingRequestError(request({}), usages), undefined);
  assert.equal(kubeletServingRequestError(request({}), ['digital signature', 'key encipherment', 'server auth']), undefined);
  assert.equal(kubeletServingRequestError(request({ organizations: ['system:nodes', 'x'] }), usages), 'subject organization is not system:nodes');
  assert.equal(kubeletServingRequestError(request({ dnsNames: [] }), usages), 'DNS or IP subjectAltName is required');
  assert.equal(kubeletServingRequestError(request({ emailAddresses: ['a@b'] }), usages), 'Email subjectAltNames are not allowed');
  assert.equal(kubeletServingRequestError(request({ uris: ['spiffe://x'] }), usages), 'URI subjectAltNames are not allowed');
  assert.equal(kubeletServingRequestError(request({}), ['server auth']), 'usages did not match [digital signature key encipherment server auth]');
  assert.equal(kubeletServingRequestError(request({ commonName: 'n2' }), usages), 'subject common name does not begin with system:node:');
});

test('kubelet client requests carry no SANs; API server client requests need client auth only', () => {
  assert.equal(kubeletClientRequestError(request({ dnsNames: [] }), ['digital signature', 'client auth']), undefined);
  assert.equal(kubeletClientRequestError(request({}), ['digital signature', 'client auth']), 'DNS subjectAltNames are not allowed');
  assert.equal(kubeletClientRequestError(request({ dnsNames: [] }), ['client auth']), 'usages did not match [client auth digital signature key encipherment]');
  assert.equal(apiServerClientUsagesError(['client auth', 'digital signature']), undefined);
  assert.equal(apiServerClientUsagesError(['server auth', 'client auth']), 'invalid usage for client certificate: server auth');
  assert.equal(apiServerClientUsagesError(['digital signature']), 'missing required usage for client certificate: client auth');
});
