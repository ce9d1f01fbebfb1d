import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { generateCA } from '../../../pki/certs.js';
import { fakeInformer } from '../../fakes.test-support.js';
import type { Csr } from '../csr.js';
import { servingRequest, servingUsages, testCsr } from '../csr-fixtures.test-support.js';
import { certificateBoundaries, signingDurationMs } from './boundaries.js';
import { CsrSigningController } from './signer.js';

const ca = await generateCA('kubernetes');
const approved = [{ type: 'Approved', status: 'True', reason: 'KubectlApprove' }];
const now = new Date('2026-11-23T00:00:00Z');

function setup() {
  const writes: Csr[] = [];
  const signer = new CsrSigningController({
    csrs: fakeInformer(),
    csrClient: { updateStatus: async (_ns, csr) => (writes.push(structuredClone(csr)), csr) },
    ca,
    now: () => now,
  });
  return { signer, writes };
}

test('an approved kubelet-serving request is signed through the status subresource', async () => {
  const { signer, writes } = setup();
  await signer.handle(await testCsr({ request: servingRequest, signerName: 'kubernetes.io/kubelet-serving', usages: servingUsages, conditions: approved, expirationSeconds: 3600 }));
  assert.equal(writes.length, 1);
  const cert = new X509Certificate(Buffer.from(writes[0]!.status!.certificate!, 'base64'));
  assert.equal(cert.subject, 'O=system:nodes\nCN=system:node:n2');
  assert.equal(cert.verify(new X509Certificate(ca.certPem).publicKey), true);
  // A short certificate lives its full hour from now; it is still backdated 5 minutes.
  assert.equal(new Date(cert.validTo).toISOString(), '2026-11-23T01:00:00.000Z');
  assert.equal(new Date(cert.validFrom).toISOString(), '2026-11-22T23:55:00.000Z');
  assert.deepEqual(writes[0]!.status!.conditions, approved);
});

test('pending, denied, failed and unknown-signer requests are left alone', async () => {
  const { signer, writes } = setup();
  await signer.handle(await testCsr({ request: servingRequest, signerName: 'kubernetes.io/kubelet-serving', usages: servingUsages }));
  await signer.handle(await testCsr({ request: servingRequest, signerName: 'kubernetes.io/kubelet-serving', usages: servingUsages, conditions: [...approved, { type: 'Denied', status: 'True' }] }));
  await signer.handle(await testCsr({ request: servingRequest, signerName: 'kubernetes.io/kubelet-serving', usages: servingUsages, conditions: [...approved, { type: 'Failed', status: 'True' }] }));
  await signer.handle(await testCsr({ request: servingRequest, signerName: 'example.com/other', usages: servingUsages, conditions: approved }));
  assert.deepEqual(writes, []);
});

test("a request that breaks its signer's rules gets a Failed condition with upstream's reason", async () => {
  const { signer, writes } = setup();
  await signer.handle(await testCsr({ request: { ...servingRequest, commonName: 'n2' }, signerName: 'kubernetes.io/kubelet-serving', usages: servingUsages, conditions: approved }));
  const failed = writes[0]!.status!.conditions!.at(-1)!;
  assert.deepEqual([failed.type, failed.status, failed.reason, failed.message, failed.lastUpdateTime], ['Failed', 'True', 'SignerValidationFailure', 'subject common name does not begin with system:node:', '2026-11-23T00:00:00Z']);
  assert.equal(writes[0]!.status!.certificate, undefined);
});

test('the duration is the configured one, or less when asked, but at least 10 minutes; never past the CA', () => {
  const year = 8760 * 3600_000;
  assert.equal(signingDurationMs(undefined, year), year);
  assert.equal(signingDurationMs(2 * 8760 * 3600, year), year);
  assert.equal(signingDurationMs(3600, year), 3600_000);
  assert.equal(signingDurationMs(60, year), 600_000);
  const { notBefore, notAfter } = certificateBoundaries(now, year, new Date('2027-01-01T00:00:00Z'));
  assert.equal(notBefore.toISOString(), '2026-11-22T23:55:00.000Z');
  assert.equal(notAfter.toISOString(), '2027-01-01T00:00:00.000Z');
  assert.equal(certificateBoundaries(now, 10 * 3600_000, new Date('2030-01-01')).notAfter.toISOString(), '2026-11-23T09:55:00.000Z');
  assert.throws(() => certificateBoundaries(now, year, new Date('2026-01-01T00:00:00Z')), /the signer has expired/);
});
