// Shared by the certificate controllers' unit tests: real PKCS#10 requests and CSR objects.
import { generateKeyPairSync } from 'node:crypto';
import { createCertificateRequest, type CertificateRequestOptions } from '../../pki/csr.js';
import type { Csr } from './csr.js';

export const testKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export async function testCsr(options: {
  name?: string;
  request: Omit<CertificateRequestOptions, 'keyPem'>;
  signerName: string;
  usages: string[];
  username?: string;
  conditions?: { type: string; status: string; reason?: string }[];
  expirationSeconds?: number;
}): Promise<Csr> {
  const pem = await createCertificateRequest({ keyPem: testKeyPem, ...options.request });
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: options.name ?? 'csr-test', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      request: Buffer.from(pem).toString('base64'),
      signerName: options.signerName,
      usages: options.usages,
      username: options.username ?? 'kubernetes-admin',
      groups: ['system:masters', 'system:authenticated'],
      ...(options.expirationSeconds ? { expirationSeconds: options.expirationSeconds } : {}),
    },
    status: options.conditions ? { conditions: options.conditions } : {},
  } as Csr;
}

export const servingRequest = { commonName: 'system:node:n2', organizations: ['system:nodes'], dnsNames: ['n2'], ipAddresses: ['10.0.0.2'] };
export const servingUsages = ['digital signature', 'server auth'];
