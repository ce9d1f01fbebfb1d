import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CertAndKey as Pair } from '../../pki/certs.js';

/** PEM text compared without its trailing newline. */
const trimmed = (pair: Pair | undefined) => pair && { certPem: pair.certPem.trim(), keyPem: pair.keyPem.trim() };
import { generateCA, issueServingCert } from '../../pki/certs.js';
import { currentPairFile, ServingCertificateStore } from './store.js';

test('a pair is written 0600 under a time-stamped name, the current link follows, and reads back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-kubelet-pki-'));
  try {
    const store = new ServingCertificateStore(join(dir, 'pki'));
    assert.equal(await store.current(), undefined);
    const ca = await generateCA('kubernetes');
    const first = await issueServingCert(ca, { commonName: 'system:node:n2', dnsNames: ['n2'] });
    const path = await store.update(first, new Date('2026-11-23T00:28:35Z'));
    assert.equal(path, join(dir, 'pki', 'kubelet-server-2026-11-23-00-28-35.pem'));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(trimmed(await store.current()), trimmed(first));
    const second = await issueServingCert(ca, { commonName: 'system:node:n2', dnsNames: ['n2'] });
    await store.update(second, new Date('2026-11-24T00:00:00Z'));
    assert.ok(lstatSync(join(dir, 'pki', currentPairFile)).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, 'pki', currentPairFile)), 'kubelet-server-2026-11-24-00-00-00.pem');
    assert.deepEqual(trimmed(await store.current()), trimmed(second));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
