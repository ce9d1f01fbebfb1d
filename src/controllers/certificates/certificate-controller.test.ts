import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeInformer } from '../fakes.test-support.js';
import { CertificateController } from './certificate-controller.js';
import type { Csr } from './csr.js';

test('the handler gets a copy of a CSR without a certificate; issued and deleted ones are skipped', async () => {
  const pending = { metadata: { name: 'a' }, spec: { request: '', signerName: 'x/y' }, status: {} } as Csr;
  const issued = { metadata: { name: 'b' }, spec: { request: '', signerName: 'x/y' }, status: { certificate: 'eA==' } } as Csr;
  const informer = fakeInformer([pending, issued]);
  const handled: Csr[] = [];
  const controller = new CertificateController({ name: 'test', csrs: informer, handler: async (csr) => void handled.push(csr) });
  for (const name of ['a', 'b', 'gone']) await controller.sync(name);
  assert.deepEqual(handled.map((csr) => csr.metadata?.name), ['a']);
  handled[0]!.status = { conditions: [] };
  assert.deepEqual(informer.cache.get('a')!.status, {});
  informer.handlers[0]!.onAdd?.(pending, false);
  assert.equal(controller.queue.len(), 1);
  controller.shutDown();
});
