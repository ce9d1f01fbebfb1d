import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { createCertificateRequest } from '../../../pki/csr.js';
import { prepareCSRForStatusUpdate } from '../../defaults/csr-subresources.js';
import { formatFieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { generateCA } from '../../../pki/certs.js';
import { certificatesValidators } from './certificates.js';

const validator = certificatesValidators['CertificateSigningRequest.certificates.k8s.io']!;
const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const request = Buffer.from(await createCertificateRequest({ keyPem, commonName: 'alice' })).toString('base64');
const csr = (status: Record<string, unknown> = {}): KubeObject => ({ kind: 'CertificateSigningRequest', metadata: { name: 'c' }, spec: { request, signerName: 'example.com/s', usages: ['client auth'] }, status });
const approved = { type: 'Approved', status: 'True', reason: 'KubectlApprove', lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' };
const errors = (obj: KubeObject, old: KubeObject, subresource: string) => validator.validateStatusUpdate!(obj, old, subresource).map(formatFieldError);

test('approval adds Approved or Denied, never both, and never removes them', () => {
  assert.deepEqual(errors(csr({ conditions: [approved] }), csr(), 'approval'), []);
  assert.deepEqual(errors(csr({ conditions: [approved, { type: 'Denied', status: 'True' }] }), csr(), 'approval'), ['status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive']);
  assert.deepEqual(errors(csr({ conditions: [] }), csr({ conditions: [approved] }), 'approval'), ['status.conditions: Forbidden: updates may not remove a condition of type "Approved"']);
  assert.deepEqual(errors(csr({ conditions: [{ type: 'Approved', status: 'False' }] }), csr(), 'approval'), ['status.conditions[0].status: Unsupported value: "False": supported values: "True"']);
});

test('status may not approve, and sets a valid certificate only once', async () => {
  assert.deepEqual(errors(csr({ conditions: [approved] }), csr(), 'status'), ['status.conditions: Forbidden: updates may not add a condition of type "Approved"']);
  const certificate = Buffer.from((await generateCA('x')).certPem).toString('base64');
  assert.deepEqual(errors(csr({ conditions: [approved], certificate }), csr({ conditions: [approved] }), 'status'), []);
  assert.deepEqual(errors(csr({ certificate: Buffer.from('junk').toString('base64') }), csr(), 'status'), ['status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block']);
  assert.deepEqual(errors(csr({ certificate: 'eA==' }), csr({ certificate }), 'status'), ['status.certificate: Forbidden: updates may not modify existing certificate content']);
  assert.deepEqual(errors(csr({ certificate }), csr(), 'approval'), ['status.certificate: Forbidden: updates may not set certificate content']);
});

test('a status write keeps the stored approval; an approval write keeps the certificate; timestamps are filled', () => {
  const stored = csr({ conditions: [approved], certificate: 'eA==' });
  const tampered = csr({ conditions: [{ ...approved, message: 'changed' }, { type: 'Failed', status: 'True' }], certificate: 'eA==' });
  prepareCSRForStatusUpdate(tampered, stored, 'status');
  const conditions = (tampered.status as { conditions: Record<string, unknown>[] }).conditions;
  assert.deepEqual(conditions[0], approved);
  assert.ok(typeof conditions[1]!.lastUpdateTime === 'string' && conditions[1]!.lastTransitionTime === conditions[1]!.lastUpdateTime);
  const approval = csr({ conditions: [approved] });
  prepareCSRForStatusUpdate(approval, stored, 'approval');
  assert.equal((approval.status as { certificate?: string }).certificate, 'eA==');
});

test('a request not signed by the key it carries is refused at create, as upstream\'s CheckSignature', () => {
  const der = Buffer.from(Buffer.from(request, 'base64').toString().replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  der[der.indexOf(Buffer.from('alice'))] = 'A'.charCodeAt(0);
  const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  const errs = validator.validate!({ ...csr(), spec: { request: Buffer.from(pem).toString('base64'), signerName: 'example.com/s', usages: ['client auth'] } }).map(formatFieldError);
  assert.equal(errs.length, 1);
  assert.match(errs[0]!, /^spec\.request: Invalid value: \[\]byte\{0x2d, .*\}: x509: ECDSA verification failure$/);
});
