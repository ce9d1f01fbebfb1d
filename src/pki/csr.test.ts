import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateCA } from './certs.js';
import { createCertificateRequest, parseCertificateRequest, verifyCertificateRequest } from './csr.js';
import { keyUsagesFromStrings, signCertificateRequest } from './sign-request.js';

const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

test('a request built for a kubelet reads back with its subject and SANs, and verifies', async () => {
  const pem = await createCertificateRequest({ keyPem, commonName: 'system:node:n2', organizations: ['system:nodes'], dnsNames: ['n2'], ipAddresses: ['10.0.0.2', '::1'] });
  const parsed = parseCertificateRequest(pem);
  assert.equal(parsed.commonName, 'system:node:n2');
  assert.deepEqual(parsed.organizations, ['system:nodes']);
  assert.deepEqual(parsed.dnsNames, ['n2']);
  assert.deepEqual(parsed.ipAddresses, ['10.0.0.2', '::1']);
  assert.equal(parsed.publicKeyAlgorithm, 'ECDSA');
  assert.equal(await verifyCertificateRequest(parsed), true);
});

test('openssl accepts our request, and we read openssl\'s', { skip: !hasOpenssl && 'openssl is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-csr-'));
  try {
    const ours = join(dir, 'ours.csr');
    writeFileSync(ours, await createCertificateRequest({ keyPem, commonName: 'system:node:n2', organizations: ['system:nodes'], dnsNames: ['n2'] }));
    const text = execFileSync('openssl', ['req', '-in', ours, '-verify', '-noout', '-subject'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    assert.match(text, /O = system:nodes, CN = system:node:n2/);
    writeFileSync(join(dir, 'key.pem'), keyPem);
    const theirs = execFileSync('openssl', ['req', '-new', '-key', join(dir, 'key.pem'), '-subj', '/O=system:nodes/CN=system:node:x', '-addext', 'subjectAltName=DNS:x,IP:10.1.2.3,email:a@b.c']).toString();
    const parsed = parseCertificateRequest(theirs);
    assert.deepEqual([parsed.commonName, parsed.dnsNames, parsed.ipAddresses, parsed.emailAddresses], ['system:node:x', ['x'], ['10.1.2.3'], ['a@b.c']]);
    assert.equal(await verifyCertificateRequest(parsed), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a PEM block of another type is refused with upstream\'s message', () => {
  assert.throws(() => parseCertificateRequest('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), /PEM block type must be CERTIFICATE REQUEST/);
});

test('a tampered request fails its signature check', async () => {
  const pem = await createCertificateRequest({ keyPem, commonName: 'system:node:n2', organizations: ['system:nodes'], dnsNames: ['n2'] });
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  // Flip one byte inside the DNS name "n2" (part of the signed data).
  const at = der.indexOf(Buffer.from('n2', 'latin1'), 60);
  der[at] = 'm'.charCodeAt(0);
  const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  assert.equal(await verifyCertificateRequest(parseCertificateRequest(tampered)), false);
});

test('signing copies subject and SANs, sets the usages asked for and chains to the CA', async () => {
  const ca = await generateCA('kubernetes');
  const parsed = parseCertificateRequest(await createCertificateRequest({ keyPem, commonName: 'system:node:n2', organizations: ['system:nodes'], dnsNames: ['n2'], ipAddresses: ['10.0.0.2'] }));
  const notBefore = new Date(Date.now() - 5 * 60_000);
  const notAfter = new Date(Math.floor(Date.now() / 1000) * 1000 + 3600_000);
  const certPem = await signCertificateRequest(ca, parsed, { usages: ['digital signature', 'server auth'], notBefore, notAfter });
  const cert = new X509Certificate(certPem);
  assert.equal(cert.verify(new X509Certificate(ca.certPem).publicKey), true);
  assert.equal(cert.subject, 'O=system:nodes\nCN=system:node:n2');
  assert.equal(cert.subjectAltName, 'DNS:n2, IP Address:10.0.0.2');
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  assert.equal(cert.ca, false);
  assert.equal(new Date(cert.validTo).getTime(), notAfter.getTime());
});

test('unknown usages are refused as upstream words it', () => {
  assert.throws(() => keyUsagesFromStrings(['server auth', 'flying']), /unrecognized usage values: \["flying"\]/);
  assert.deepEqual(keyUsagesFromStrings(['client auth', 'server auth', 'key encipherment']).extendedKeyUsages, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
});

test('the synchronous signature check agrees with the full parser', async () => {
  const { certificateRequestSignatureError } = await import('./csr-signature.js');
  const pem = await createCertificateRequest({ keyPem, commonName: 'system:node:n2', organizations: ['system:nodes'], dnsNames: ['n2'] });
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  assert.equal(certificateRequestSignatureError(der), undefined);
  const tampered = Buffer.from(der);
  tampered[tampered.indexOf(Buffer.from('n2', 'latin1'), 60)] = 'm'.charCodeAt(0);
  assert.equal(certificateRequestSignatureError(tampered), 'x509: ECDSA verification failure');
  assert.equal(certificateRequestSignatureError(Buffer.from([0x30, 0x05, 0x01])), 'asn1: syntax error: data truncated');
  if (hasOpenssl) {
    const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-csr-'));
    try {
      writeFileSync(join(dir, 'rsa.pem'), rsaKey);
      const rsa = execFileSync('openssl', ['req', '-new', '-key', join(dir, 'rsa.pem'), '-subj', '/CN=alice', '-outform', 'DER']);
      assert.equal(certificateRequestSignatureError(rsa), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
