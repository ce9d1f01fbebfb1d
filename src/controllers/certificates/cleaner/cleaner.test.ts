import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateCA, issueClientCert } from '../../../pki/certs.js';
import { FakeClock } from '../../common/clock.js';
import { fakeInformer } from '../../fakes.test-support.js';
import type { Csr } from '../csr.js';
import { cleanupReason, CsrCleaner } from './cleaner.js';

const now = Date.parse('2026-11-23T12:00:00Z');
const at = (hoursAgo: number) => new Date(now - hoursAgo * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const csr = (created: string, conditions: { type: string; lastUpdateTime: string }[] = [], certificate?: string): Csr =>
  ({ metadata: { name: 'c', uid: 'u', creationTimestamp: created }, spec: { request: '', signerName: 'x/y' }, status: { conditions: conditions.map((c) => ({ status: 'True', ...c })), ...(certificate ? { certificate } : {}) } }) as Csr;

test('issued, denied and failed CSRs go after an hour, pending ones after a day', () => {
  assert.equal(cleanupReason(csr(at(2), [{ type: 'Approved', lastUpdateTime: at(2) }], 'eA=='), now), 'it is more than 1h0m0s old and approved');
  assert.equal(cleanupReason(csr(at(2), [{ type: 'Approved', lastUpdateTime: at(2) }]), now), undefined);
  assert.equal(cleanupReason(csr(at(2), [{ type: 'Denied', lastUpdateTime: at(1.5) }]), now), 'it is more than 1h0m0s old and denied');
  assert.equal(cleanupReason(csr(at(2), [{ type: 'Failed', lastUpdateTime: at(0.5) }]), now), undefined);
  assert.equal(cleanupReason(csr(at(25)), now), 'it is more than 24h0m0s old and unhandled');
  assert.equal(cleanupReason(csr(at(23)), now), undefined);
});

test('a CSR whose certificate expired goes at once', async () => {
  const ca = await generateCA('kubernetes');
  const expired = await issueClientCert(ca, { commonName: 'alice', validityDays: -1 });
  assert.equal(cleanupReason(csr(at(0.1), [{ type: 'Approved', lastUpdateTime: at(0.1) }], Buffer.from(expired.certPem).toString('base64')), Date.now()), 'the associated certificate is expired');
});

test('a pass deletes what is due, with the uid as precondition', async () => {
  const deleted: string[] = [];
  const cleaner = new CsrCleaner({
    csrs: fakeInformer([csr(at(25)), { ...csr(at(1)), metadata: { name: 'young', creationTimestamp: at(1) } }]),
    csrClient: { delete: async (_ns, name, options) => (deleted.push(`${name} ${options?.preconditions?.uid}`), { kind: 'Status' } as never) },
    clock: new FakeClock(now),
    log: () => undefined,
  });
  await cleaner.cleanOnce();
  assert.deepEqual(deleted, ['c u']);
});
