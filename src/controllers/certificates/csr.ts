// What the certificate controllers share about CertificateSigningRequests: the resource, the
// condition helpers of upstream's pkg/controller/certificates, and the request's PEM.
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { KubeObject } from '../../api/object.js';

export type Csr = CertificateSigningRequest & KubeObject;
export type CsrCondition = NonNullable<NonNullable<CertificateSigningRequest['status']>['conditions']>[number];

export const csrResource = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests', namespaced: false } as const;
export const nodesResource = { group: '', version: 'v1', resource: 'nodes', namespaced: false } as const;

/** Upstream's well-known signers (k8s.io/api/certificates/v1). */
export const kubeletServingSignerName = 'kubernetes.io/kubelet-serving';
export const kubeAPIServerClientKubeletSignerName = 'kubernetes.io/kube-apiserver-client-kubelet';
export const kubeAPIServerClientSignerName = 'kubernetes.io/kube-apiserver-client';
export const legacyUnknownSignerName = 'kubernetes.io/legacy-unknown';

export function hasTrueCondition(csr: Csr, type: string): boolean {
  return (csr.status?.conditions ?? []).some((condition) => condition.type === type && condition.status === 'True');
}

/** GetCertApprovalCondition: Approved or Denied, counting conditions of any status as upstream does. */
export function approvalState(csr: Csr): { approved: boolean; denied: boolean } {
  const types = new Set((csr.status?.conditions ?? []).map((condition) => condition.type));
  return { approved: types.has('Approved'), denied: types.has('Denied') };
}

/** IsCertificateRequestApproved: approved and not denied. */
export function isApproved(csr: Csr): boolean {
  const { approved, denied } = approvalState(csr);
  return approved && !denied;
}

export function isIssued(csr: Csr): boolean {
  return Boolean(csr.status?.certificate);
}

/** spec.request is []byte, base64 in JSON: the PEM text. */
export function requestPem(csr: Csr): string {
  return Buffer.from(csr.spec?.request ?? '', 'base64').toString('latin1');
}

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An error worth a retry but not a loud log line (upstream's certificates.IgnorableError). */
export class IgnorableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IgnorableError';
  }
}
