import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CertAndKey as Pair } from '../../pki/certs.js';

/** PEM text compared without its trailing newline. */
const trimmed = (pair: Pair | undefined) => pair && { certPem: pair.certPem.trim(), keyPem: pair.keyPem.trim() };
import type { RestClient } from '../../client/index.js';
import { generateCA, issueServingCert, type CertAndKey } from '../../pki/certs.js';
import { createCertificateRequest, parseCertificateRequest } from '../../pki/csr.js';
import { signCertificateRequest } from '../../pki/sign-request.js';
import { ServingCertificateManager } from './manager.js';
import { csrState } from './request.js';
import { ServingCertificateStore } from './store.js';

const ca = await generateCA('kubernetes');
const sans = { dnsNames: ['n2'], ipAddresses: ['10.0.0.2'] };

/** A client whose API server approves and signs every CSR at once, recording what was asked. */
function signingClient(created: any[]): RestClient {
  const issued = new Map<string, any>();
  return {
    resource: () => ({
      async create(_ns: string | undefined, csr: any) {
        const name = `csr-${created.length}`;
        created.push(csr);
        const request = parseCertificateRequest(Buffer.from(csr.spec.request, 'base64').toString());
        const now = Date.now();
        const certPem = await signCertificateRequest(ca, request, { usages: csr.spec.usages, notBefore: new Date(now - 60_000), notAfter: new Date(now + 3600_000) });
        issued.set(name, { metadata: { name, uid: `uid-${name}` }, spec: csr.spec, status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: Buffer.from(certPem).toString('base64') } });
        return { metadata: { name, uid: `uid-${name}` } };
      },
      async get(_ns: string | undefined, name: string) {
        return issued.get(name);
      },
    }),
  } as unknown as RestClient;
}

async function withManager(run: (dir: string, created: any[], delivered: CertAndKey[], manager: () => ServingCertificateManager) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-serving-'));
  const created: any[] = [];
  const delivered: CertAndKey[] = [];
  let manager: ServingCertificateManager | undefined;
  const make = (): ServingCertificateManager =>
    (manager = new ServingCertificateManager({ client: signingClient(created), nodeName: 'n2', dir, subjectAltNames: sans, onCertificate: (pair) => void delivered.push(pair), log: () => undefined }));
  try {
    await run(dir, created, delivered, make);
  } finally {
    await manager?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check());
}

test('without a stored pair the manager asks with a kubelet-serving CSR and delivers and stores the answer', async () => {
  await withManager(async (dir, created, delivered, make) => {
    await make().start();
    await until(() => delivered.length === 1);
    const spec = created[0].spec;
    assert.deepEqual([created[0].metadata, spec.signerName, spec.usages], [{ generateName: 'csr-' }, 'kubernetes.io/kubelet-serving', ['digital signature', 'server auth']]);
    const request = parseCertificateRequest(Buffer.from(spec.request, 'base64').toString());
    assert.deepEqual([request.commonName, request.organizations, request.dnsNames, request.ipAddresses], ['system:node:n2', ['system:nodes'], ['n2'], ['10.0.0.2']]);
    assert.deepEqual(trimmed(await new ServingCertificateStore(dir).current()), trimmed(delivered[0]));
  });
});

test('a valid stored pair is reused; one lacking an address is replaced', async () => {
  await withManager(async (dir, created, delivered, make) => {
    const good = await issueServingCert(ca, { commonName: 'system:node:n2', ...sans });
    await new ServingCertificateStore(dir).update(good);
    await make().start();
    assert.deepEqual([delivered.map(trimmed), created.length], [[trimmed(good)], 0]);
  });
  await withManager(async (dir, created, delivered, make) => {
    await new ServingCertificateStore(dir).update(await issueServingCert(ca, { commonName: 'system:node:n2', dnsNames: ['n2'] }));
    await make().start();
    await until(() => delivered.length === 1);
    assert.equal(created.length, 1);
  });
});

test('a stored pair past 90% of its lifetime is used at once and renewed right away', async () => {
  await withManager(async (dir, created, delivered, make) => {
    const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const request = parseCertificateRequest(await createCertificateRequest({ keyPem, commonName: 'system:node:n2', organizations: ['system:nodes'], ...sans }));
    const now = Date.now();
    const certPem = await signCertificateRequest(ca, request, { usages: ['digital signature', 'server auth'], notBefore: new Date(now - 9 * 3600_000), notAfter: new Date(now + 1800_000) });
    await new ServingCertificateStore(dir).update({ certPem, keyPem });
    await make().start();
    await until(() => delivered.length === 2);
    assert.equal(delivered[0]!.certPem.trim(), certPem.trim());
    assert.equal(created.length, 1);
  });
});

test("denied and failed CSRs end the wait with upstream's words", () => {
  const csr = (type: string) => ({ status: { conditions: [{ type, status: 'True', reason: 'R', message: 'M' }] } }) as never;
  assert.throws(() => csrState(csr('Denied')), /^Error: certificate signing request is denied, reason: R, message: M$/);
  assert.throws(() => csrState(csr('Failed')), /^Error: certificate signing request failed, reason: R, message: M$/);
  assert.deepEqual(csrState(csr('Approved')), { kind: 'pending', approved: true });
});
