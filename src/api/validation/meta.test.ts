import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldErrors, rootPath } from '../field-errors.js';
import { validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';

const ns = { namespaced: true, nameValidator: nameIsDNSSubdomain };

test('name or generateName is required', () => {
  assert.equal(formatFieldErrors(validateObjectMeta({ namespace: 'default' }, ns)), 'metadata.name: Required value: name or generateName is required');
});

test('namespace required, forbidden on cluster-scoped', () => {
  assert.equal(formatFieldErrors(validateObjectMeta({ name: 'x' }, ns)), 'metadata.namespace: Required value');
  assert.equal(
    formatFieldErrors(validateObjectMeta({ name: 'x', namespace: 'y' }, { namespaced: false, nameValidator: nameIsDNSLabel })),
    'metadata.namespace: Forbidden: not allowed on this type',
  );
});

test('bad name, labels, annotations size, finalizers', () => {
  assert.match(formatFieldErrors(validateObjectMeta({ name: 'Web', namespace: 'd' }, ns)), /^metadata\.name: Invalid value: "Web": a lowercase RFC 1123 subdomain/);
  assert.match(formatFieldErrors(validateObjectMeta({ name: 'w', namespace: 'd', labels: { app: '-x' } }, ns)), /^metadata\.labels: Invalid value: "-x": a valid label/);
  assert.equal(
    formatFieldErrors(validateObjectMeta({ name: 'w', namespace: 'd', annotations: { a: 'x'.repeat(256 * 1024) } }, ns)),
    'metadata.annotations: Too long: may not be more than 262144 bytes',
  );
  assert.equal(
    formatFieldErrors(validateObjectMeta({ name: 'w', namespace: 'd', finalizers: ['custom'] }, ns)),
    'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  );
  assert.deepEqual(validateObjectMeta({ name: 'w', namespace: 'd', finalizers: ['example.com/x', 'kubernetes'] }, ns), []);
});

test('owner references', () => {
  const errs = validateObjectMeta({ name: 'w', namespace: 'd', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '' }] }, ns);
  assert.equal(formatFieldErrors(errs), 'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty');
});

test('update: immutable name and uid, resourceVersion required', () => {
  const old = { name: 'a', namespace: 'd', uid: '1', resourceVersion: '5' };
  assert.deepEqual(validateObjectMetaUpdate({ ...old }, old), []);
  assert.equal(
    formatFieldErrors(validateObjectMetaUpdate({ ...old, name: 'b' }, old)),
    'metadata.name: Invalid value: "b": field is immutable',
  );
  assert.equal(
    formatFieldErrors(validateObjectMetaUpdate({ ...old, resourceVersion: '' }, old)),
    'metadata.resourceVersion: Invalid value: "": must be specified for an update',
  );
});

test('label selector requirements', () => {
  const errs = validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Bad' }] }, rootPath('spec').child('selector'));
  assert.equal(
    formatFieldErrors(errs),
    "[spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn', spec.selector.matchExpressions[1].operator: Invalid value: \"Bad\": not a valid selector operator]",
  );
});
