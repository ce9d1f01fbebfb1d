import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../api/object.js';
import { fakeInformer } from '../../fakes.test-support.js';
import { IgnorableError, type Csr } from '../csr.js';
import { servingRequest, servingUsages, testCsr } from '../csr-fixtures.test-support.js';
import type { ResourceAttributes } from './access.js';
import { foreignSubjectAltNames, KubeletServingApprover, sarApprovalMessage, selfApprovalMessage } from './kubelet-serving.js';

const n2: KubeObject = { metadata: { name: 'n2' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'n2' }] } };

function setup(allowed: boolean, nodes: KubeObject[] = [n2]) {
  const approvals: Csr[] = [];
  const asked: ResourceAttributes[] = [];
  const approver = new KubeletServingApprover({
    csrs: fakeInformer(),
    nodes: fakeInformer(nodes),
    api: {
      authorize: async (_csr, attributes) => (asked.push(attributes), allowed),
      updateApproval: async (csr) => void approvals.push(csr),
    },
  });
  return { approver, approvals, asked };
}

const servingCsr = (overrides: Partial<Parameters<typeof testCsr>[0]> = {}) => testCsr({ request: servingRequest, signerName: 'kubernetes.io/kubelet-serving', usages: servingUsages, ...overrides });

test('a request for the node\'s own names from someone who may approve it is approved after a SubjectAccessReview', async () => {
  const { approver, approvals, asked } = setup(true);
  await approver.handle(await servingCsr());
  assert.deepEqual(asked, [{ group: 'certificates.k8s.io', resource: 'signers', verb: 'approve', name: 'kubernetes.io/kubelet-serving' }]);
  assert.deepEqual(approvals[0]!.status!.conditions, [{ type: 'Approved', status: 'True', reason: 'AutoApproved', message: sarApprovalMessage }]);
});

test('the node asking for itself needs no review', async () => {
  const { approver, approvals, asked } = setup(false);
  await approver.handle(await servingCsr({ username: 'system:node:n2' }));
  assert.deepEqual(asked, []);
  assert.equal(approvals[0]!.status!.conditions![0]!.message, selfApprovalMessage);
});

test('a requester the review refuses, a missing node or a foreign address leaves the request pending', async () => {
  const refused = setup(false);
  await assert.rejects(refused.approver.handle(await servingCsr()), (error: Error) => error instanceof IgnorableError && /subject access review was not approved/.test(error.message));
  const noNode = setup(true, []);
  await assert.rejects(noNode.approver.handle(await servingCsr()), /node "n2" does not exist/);
  const foreign = setup(true);
  await assert.rejects(foreign.approver.handle(await servingCsr({ request: { ...servingRequest, dnsNames: ['n2', 'kubernetes.default'], ipAddresses: ['10.0.0.9'] } })), /subjectAltNames \[kubernetes.default 10.0.0.9\] are not addresses of node "n2"/);
  assert.deepEqual([...refused.approvals, ...noNode.approvals, ...foreign.approvals], []);
});

test('other signers, invalid requests and decided requests are not touched', async () => {
  const { approver, approvals, asked } = setup(true);
  await approver.handle(await servingCsr({ signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] }));
  await approver.handle(await servingCsr({ request: { ...servingRequest, commonName: 'n2' } }));
  await approver.handle(await servingCsr({ conditions: [{ type: 'Denied', status: 'True' }] }));
  assert.deepEqual([approvals, asked], [[], []]);
});

test('foreign SANs are judged against the Node\'s addresses, IPv6 in any spelling', () => {
  const node = { status: { addresses: [{ type: 'InternalIP', address: 'fd00::2' }, { type: 'ExternalDNS', address: 'n2.example.com' }] } };
  assert.deepEqual(foreignSubjectAltNames('n2', node, { dnsNames: ['n2', 'n2.example.com'], ipAddresses: ['fd00:0:0:0:0:0:0:2'] }), []);
  assert.deepEqual(foreignSubjectAltNames('n2', node, { dnsNames: ['n3'], ipAddresses: ['127.0.0.1'] }), ['n3', '127.0.0.1']);
});
