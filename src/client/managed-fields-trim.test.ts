import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventLineWithoutManagedFields, withoutManagedFields } from './managed-fields-trim.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web',
    namespace: 'default',
    managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {} } } } } }],
    resourceVersion: '7',
  },
  spec: { containers: [{ name: 'c', image: 'busybox' }], managedFields: 'a spec member of the same name stays' },
};
const { managedFields: _dropped, ...metadataWithout } = pod.metadata;
const expected = { ...pod, metadata: metadataWithout };

test('an event line loses exactly the object\'s metadata.managedFields, before it is parsed', () => {
  for (const type of ['ADDED', 'MODIFIED', 'DELETED']) {
    const line = JSON.stringify({ type, object: pod });
    const trimmed = eventLineWithoutManagedFields(line);
    assert.equal(trimmed, JSON.stringify({ type, object: expected }));
  }
});

test('managedFields first, last or alone in metadata go with the right comma', () => {
  const cases = [
    { managedFields: [{ manager: 'a' }], name: 'x' },
    { name: 'x', managedFields: [{ manager: 'a' }] },
    { managedFields: [{ manager: 'a' }] },
  ];
  for (const metadata of cases) {
    const { managedFields: _m, ...rest } = metadata;
    const line = JSON.stringify({ type: 'ADDED', object: { kind: 'Pod', metadata } });
    assert.equal(eventLineWithoutManagedFields(line), JSON.stringify({ type: 'ADDED', object: { kind: 'Pod', metadata: rest } }));
  }
});

test('lines it cannot read without parsing come back unchanged', () => {
  const spaced = JSON.stringify({ type: 'ADDED', object: pod }, null, 1);
  assert.equal(eventLineWithoutManagedFields(spaced), spaced);
  const noManagedFields = JSON.stringify({ type: 'ADDED', object: expected });
  assert.equal(eventLineWithoutManagedFields(noManagedFields), noManagedFields);
  const bookmark = '{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}';
  assert.equal(eventLineWithoutManagedFields(bookmark), bookmark);
  const error = '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","code":410}}';
  assert.equal(eventLineWithoutManagedFields(error), error);
  const broken = '{"type":"ADDED","object":{"metadata":{"managedFields":[{"manager":"a"}';
  assert.equal(eventLineWithoutManagedFields(broken), broken);
});

test('an object loses managedFields with its other metadata members in order, the rest shared', () => {
  const trimmed = withoutManagedFields(pod);
  assert.deepEqual(trimmed, expected);
  assert.deepEqual(Object.keys(trimmed.metadata), ['name', 'namespace', 'resourceVersion']);
  assert.equal(trimmed.spec, pod.spec);
  assert.ok('managedFields' in pod.metadata, 'the input is not changed');
  assert.equal(withoutManagedFields(expected), expected, 'nothing to drop: the same object');
});
