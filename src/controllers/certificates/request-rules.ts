// Upstream's pkg/apis/certificates/helpers.go: what a request must look like for the kubelet
// signers, with upstream's error texts (the signer writes them into a Failed condition).
import type { ParsedCertificateRequest } from '../../pki/csr.js';

const kubeletServingUsages = ['digital signature', 'key encipherment', 'server auth'];
const kubeletServingUsagesNoRSA = ['digital signature', 'server auth'];
const kubeletClientUsages = ['client auth', 'digital signature', 'key encipherment'];
const kubeletClientUsagesNoRSA = ['client auth', 'digital signature'];

function sameSet(usages: readonly string[], wanted: readonly string[]): boolean {
  const set = new Set(usages);
  return set.size === wanted.length && wanted.every((usage) => set.has(usage));
}

/** Go's %v of a sorted []string. */
function goList(values: readonly string[]): string {
  return `[${[...values].sort().join(' ')}]`;
}

function onlySystemNodes(request: ParsedCertificateRequest): boolean {
  return request.organizations.length === 1 && request.organizations[0] === 'system:nodes';
}

/** ValidateKubeletServingCSR: undefined when the request is a valid kubelet serving request. */
export function kubeletServingRequestError(request: ParsedCertificateRequest, usages: readonly string[]): string | undefined {
  if (!onlySystemNodes(request)) return 'subject organization is not system:nodes';
  if (request.dnsNames.length === 0 && request.ipAddresses.length === 0) return 'DNS or IP subjectAltName is required';
  if (request.emailAddresses.length > 0) return 'Email subjectAltNames are not allowed';
  if (request.uris.length > 0) return 'URI subjectAltNames are not allowed';
  if (!sameSet(usages, kubeletServingUsages) && !sameSet(usages, kubeletServingUsagesNoRSA)) return `usages did not match ${goList(kubeletServingUsages)}`;
  if (!request.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  return undefined;
}

/** ValidateKubeletClientCSR. */
export function kubeletClientRequestError(request: ParsedCertificateRequest, usages: readonly string[]): string | undefined {
  if (!onlySystemNodes(request)) return 'subject organization is not system:nodes';
  if (request.dnsNames.length > 0) return 'DNS subjectAltNames are not allowed';
  if (request.emailAddresses.length > 0) return 'Email subjectAltNames are not allowed';
  if (request.ipAddresses.length > 0) return 'IP subjectAltNames are not allowed';
  if (request.uris.length > 0) return 'URI subjectAltNames are not allowed';
  if (!request.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  if (!sameSet(usages, kubeletClientUsages) && !sameSet(usages, kubeletClientUsagesNoRSA)) return `usages did not match ${goList(kubeletClientUsages)}`;
  return undefined;
}

/** validAPIServerClientUsages: client auth required; digital signature and key encipherment optional. */
export function apiServerClientUsagesError(usages: readonly string[]): string | undefined {
  for (const usage of usages) {
    if (usage !== 'digital signature' && usage !== 'key encipherment' && usage !== 'client auth') return `invalid usage for client certificate: ${usage}`;
  }
  if (!usages.includes('client auth')) return 'missing required usage for client certificate: client auth';
  return undefined;
}
