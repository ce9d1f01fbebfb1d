import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { escapeFieldValue, parseFieldSelector } from './fields.js';
import { checkCustomResourceFieldSelector, checkFieldSelector, customResourceFieldsOf, fieldsOf, supportedFieldLabels } from './field-sets.js';
import type { KubeObject } from '../object.js';

function errorOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    return err;
  }
  assert.fail('expected a BadRequest');
}

describe('parseFieldSelector', () => {
  it('parses =, == and != terms, sorted', () => {
    const sel = parseFieldSelector('status.phase!=Failed,metadata.name==web,spec.nodeName=n1');
    assert.deepEqual(sel.requirements(), [
      { field: 'metadata.name', operator: '==', value: 'web' },
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
      { field: 'status.phase', operator: '!=', value: 'Failed' },
    ]);
    assert.equal(sel.toString(), 'metadata.name=web,spec.nodeName=n1,status.phase!=Failed');
    assert.equal(sel.requiresExactMatch('spec.nodeName'), 'n1');
    assert.equal(sel.requiresExactMatch('status.phase'), undefined);
  });

  it('matches field sets, with missing fields reading as ""', () => {
    const fields = { 'metadata.name': 'web', 'status.phase': 'Running' };
    assert.equal(parseFieldSelector('metadata.name=web,status.phase=Running').matches(fields), true);
    assert.equal(parseFieldSelector('status.phase!=Running').matches(fields), false);
    assert.equal(parseFieldSelector('spec.nodeName=').matches(fields), true);
    assert.equal(parseFieldSelector('spec.nodeName!=').matches(fields), false);
    assert.equal(parseFieldSelector('').isEmpty(), true);
    assert.equal(parseFieldSelector(',,').matches(fields), true);
  });

  it('unescapes values and splits only on unescaped commas', () => {
    const sel = parseFieldSelector('a=x\\,y\\=z\\\\,b=c');
    assert.deepEqual(sel.requirements(), [
      { field: 'a', operator: '=', value: 'x,y=z\\' },
      { field: 'b', operator: '=', value: 'c' },
    ]);
    assert.equal(sel.toString(), 'a=x\\,y\\=z\\\\,b=c');
    assert.equal(escapeFieldValue('a,b=c\\'), 'a\\,b\\=c\\\\');
  });

  it('splits at the first operator position', () => {
    assert.deepEqual(parseFieldSelector('a=!b').requirements(), [{ field: 'a', operator: '=', value: '!b' }]);
    assert.deepEqual(parseFieldSelector('a==!b').requirements(), [{ field: 'a', operator: '==', value: '!b' }]);
    assert.equal(errorOf(() => parseFieldSelector('a!==b')).message, 'invalid field selector: unescaped character in value: 61');
  });

  it('rejects bad selectors with upstream messages', () => {
    assert.equal(errorOf(() => parseFieldSelector('foo')).message, "invalid selector: 'foo'; can't understand 'foo'");
    assert.equal(errorOf(() => parseFieldSelector('a=b,foo')).message, "invalid selector: 'a=b,foo'; can't understand 'foo'");
    assert.equal(errorOf(() => parseFieldSelector('a=b=c')).message, 'invalid field selector: unescaped character in value: 61');
    assert.equal(errorOf(() => parseFieldSelector('a=b\\x')).message, 'invalid field selector: invalid escape sequence: \\x');
    assert.equal(errorOf(() => parseFieldSelector('a=b\\')).message, 'invalid field selector: invalid escape sequence: \\');
  });
});

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', containers: [] },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }] },
};

describe('field sets', () => {
  it('reads pod fields like upstream', () => {
    assert.deepEqual(fieldsOf('', 'Pod', pod), {
      'metadata.name': 'web',
      'metadata.namespace': 'default',
      'spec.nodeName': 'n1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.5',
      'status.nominatedNodeName': '',
    });
  });

  it('accepts supported labels, renames spec.host, and filters', () => {
    const sel = checkFieldSelector('', 'Pod', parseFieldSelector('spec.host=n1,status.phase=Running'));
    assert.equal(sel.toString(), 'spec.nodeName=n1,status.phase=Running');
    assert.equal(sel.matches(fieldsOf('', 'Pod', pod)), true);
    assert.equal(checkFieldSelector('', 'Pod', parseFieldSelector('spec.hostNetwork=true')).matches(fieldsOf('', 'Pod', pod)), false);
  });

  it('rejects unsupported labels with each kind\'s upstream wording', () => {
    assert.equal(errorOf(() => checkFieldSelector('', 'Pod', parseFieldSelector('foo=bar'))).message, 'field label not supported: foo');
    assert.equal(errorOf(() => checkFieldSelector('', 'Node', parseFieldSelector('metadata.namespace=x'))).message, 'field label not supported: metadata.namespace');
    assert.equal(
      errorOf(() => checkFieldSelector('apps', 'Deployment', parseFieldSelector('spec.replicas=1'))).message,
      '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    assert.equal(
      errorOf(() => checkFieldSelector('apps', 'ReplicaSet', parseFieldSelector('status.replicas=0'))).message,
      '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    assert.equal(errorOf(() => checkFieldSelector('batch', 'Job', parseFieldSelector('status.failed=1'))).message, 'field label "status.failed" not supported for batchv1.Job');
    // The first offending label in sorted order is the one reported.
    assert.equal(errorOf(() => checkFieldSelector('', 'Pod', parseFieldSelector('zz=1,aa=2'))).message, 'field label not supported: aa');
  });

  it('offers kind-specific fields', () => {
    assert.deepEqual(fieldsOf('', 'Node', { metadata: { name: 'n1' }, spec: { unschedulable: true } }), {
      'metadata.name': 'n1',
      'metadata.namespace': '',
      'spec.unschedulable': 'true',
    });
    assert.equal(fieldsOf('', 'Secret', { metadata: { name: 's' }, type: 'Opaque' }).type, 'Opaque');
    assert.equal(fieldsOf('', 'Namespace', { metadata: { name: 'ns' }, status: { phase: 'Active' } })['status.phase'], 'Active');
    assert.equal(fieldsOf('', 'ReplicationController', { metadata: { name: 'rc' }, status: { replicas: 3 } })['status.replicas'], '3');
    assert.equal(fieldsOf('batch', 'Job', { metadata: { name: 'j' }, status: {} })['status.successful'], '0');
    assert.equal(fieldsOf('certificates.k8s.io', 'CertificateSigningRequest', { spec: { signerName: 'kubernetes.io/kubelet-serving' } })['spec.signerName'], 'kubernetes.io/kubelet-serving');
    assert.equal(fieldsOf('', 'Service', { spec: { type: 'NodePort', clusterIP: '10.96.0.10' } })['spec.clusterIP'], '10.96.0.10');
    const event = { involvedObject: { kind: 'Pod', name: 'web', uid: 'u1' }, reason: 'Started', reportingComponent: 'kubelet', type: 'Normal' };
    const fields = fieldsOf('', 'Event', event);
    assert.equal(fields['involvedObject.kind'], 'Pod');
    assert.equal(fields.source, 'kubelet');
    assert.equal(fieldsOf('events.k8s.io', 'Event', { regarding: { name: 'web' }, reportingController: 'kubelet', deprecatedSource: { component: 'x' } }).source, 'x');
    assert.ok(supportedFieldLabels('', 'Event').includes('involvedObject.uid'));
  });

  it('never crashes on malformed objects', () => {
    const weird = { metadata: { name: 5 }, spec: 'nope', status: [1] } as unknown as KubeObject;
    for (const [group, kind] of [['', 'Pod'], ['', 'Event'], ['batch', 'Job'], ['', 'Node']] as const) {
      assert.doesNotThrow(() => fieldsOf(group, kind, weird));
    }
  });

  it('checks custom resource labels', () => {
    const sel = parseFieldSelector('spec.color=red');
    assert.equal(checkCustomResourceFieldSelector(sel, { namespaced: true, selectableFields: ['spec.color'] }).toString(), 'spec.color=red');
    assert.equal(errorOf(() => checkCustomResourceFieldSelector(sel, { namespaced: true })).message, 'field label not supported: spec.color');
    assert.equal(errorOf(() => checkCustomResourceFieldSelector(parseFieldSelector('metadata.namespace=a'), { namespaced: false })).message, 'field label not supported: metadata.namespace');
    const widget = { metadata: { name: 'w', namespace: 'ns' }, spec: { color: 'red', size: 3, round: true, tags: ['x'] } };
    assert.deepEqual(customResourceFieldsOf(widget, ['spec.color', 'spec.size', 'spec.round', 'spec.tags', 'spec.missing']), {
      'metadata.name': 'w',
      'metadata.namespace': 'ns',
      'spec.color': 'red',
      'spec.size': '3',
      'spec.round': 'true',
    });
  });
});
