import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeInformer } from '../../fakes.test-support.js';
import type { Csr } from '../csr.js';
import { testCsr } from '../csr-fixtures.test-support.js';
import type { ResourceAttributes } from './access.js';
import { CsrApprovingController } from './sar-approver.js';

const clientRequest = { commonName: 'system:node:n2', organizations: ['system:nodes'] };
const clientUsages = ['digital signature', 'client auth'];

function setup(allow: (attributes: ResourceAttributes) => boolean) {
  const approvals: Csr[] = [];
  const asked: string[] = [];
  const controller = new CsrApprovingController({
    csrs: fakeInformer(),
    api: { authorize: async (_csr, attributes) => (asked.push(attributes.subresource ?? ''), allow(attributes)), updateApproval: async (csr) => void approvals.push(csr) },
  });
  return { controller, approvals, asked };
}

test('a node renewing its own client certificate is approved through selfnodeclient', async () => {
  const { controller, approvals, asked } = setup(() => true);
  await controller.handle(await testCsr({ request: clientRequest, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: clientUsages, username: 'system:node:n2' }));
  assert.deepEqual(asked, ['selfnodeclient']);
  assert.equal(approvals[0]!.status!.conditions![0]!.message, 'Auto approving self kubelet client certificate after SubjectAccessReview.');
});

test('another requester needs nodeclient; without it the request stays pending', async () => {
  const bootstrap = setup((attributes) => attributes.subresource === 'nodeclient');
  await bootstrap.controller.handle(await testCsr({ request: clientRequest, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: clientUsages, username: 'system:bootstrap:abc' }));
  assert.equal(bootstrap.approvals[0]!.status!.conditions![0]!.message, 'Auto approving kubelet client certificate after SubjectAccessReview.');
  const refused = setup(() => false);
  await assert.rejects(
    refused.controller.handle(await testCsr({ name: 'c1', request: clientRequest, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: clientUsages, username: 'system:node:n2' })),
    /recognized csr "c1" as \[selfnodeclient nodeclient\] but subject access review was not approved/,
  );
});

test('serving requests are not this approver\'s', async () => {
  const { controller, approvals, asked } = setup(() => true);
  await controller.handle(await testCsr({ request: { ...clientRequest, dnsNames: ['n2'] }, signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'] }));
  assert.deepEqual([approvals, asked], [[], []]);
});
