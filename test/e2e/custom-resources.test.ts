// CustomResourceDefinitions become served resources, as upstream's apiextensions server:
// discovery, schema validation and pruning, printer columns, the status subresource, and
// deletion of a CRD taking its custom resources with it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.destroy();
});

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [cronSpec]
            properties:
              cronSpec: {type: string}
              image: {type: string}
              replicas: {type: integer, minimum: 1, maximum: 10, default: 1}
          status:
            type: object
            properties:
              phase: {type: string}
`;

const cronTab = (name: string, spec: string) => `apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: ${name}}\nspec: ${spec}\n`;

test('a CRD becomes Established and its resource appears in discovery', async () => {
  await cluster.ok(['apply', '-f', '-'], { input: crd });
  await cluster.ok(['wait', '--for=condition=Established', '--timeout=20s', 'crd/crontabs.stable.example.com']);
  const resources = await cluster.ok(['api-resources', '--api-group=stable.example.com']);
  assert.match(resources, /^crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab$/m);
});

test('custom resources are created, defaulted, printed with their columns and patched', async () => {
  assert.match(await cluster.ok(['apply', '-f', '-'], { input: cronTab('nightly', '{cronSpec: "0 3 * * *", image: busybox}') }), /crontab.stable.example.com\/nightly created/);
  const object = JSON.parse(await cluster.ok(['get', 'ct', 'nightly', '-o', 'json']));
  assert.equal(object.spec.replicas, 1, 'the schema default is applied');
  const table = await cluster.ok(['get', 'crontabs']);
  assert.match(table, /^NAME\s+SPEC\s+REPLICAS\s+AGE$/m);
  assert.match(table, /^nightly\s+0 3 \* \* \*\s+1\s+\d+s$/m);
  await cluster.ok(['patch', 'ct', 'nightly', '--type=merge', '-p', '{"spec":{"replicas":3}}']);
  assert.equal(await cluster.ok(['get', 'ct', 'nightly', '-o', 'jsonpath={.spec.replicas}']), '3');
  await cluster.ok(['apply', '-f', '-'], { input: cronTab('nightly', '{cronSpec: "0 4 * * *", image: busybox}') });
  assert.equal(await cluster.ok(['get', 'ct', 'nightly', '-o', 'jsonpath={.spec.cronSpec}']), '0 4 * * *');
});

test('the schema refuses invalid values and unknown fields', async () => {
  const tooMany = await cluster.kubectl(['apply', '-f', '-'], { input: cronTab('big', '{cronSpec: "* * * * *", replicas: 11}') });
  assert.notEqual(tooMany.code, 0);
  assert.match(tooMany.stderr, /spec\.replicas: Invalid value: 11: spec\.replicas in body should be less than or equal to 10/);
  const missing = await cluster.kubectl(['apply', '-f', '-'], { input: cronTab('empty', '{image: busybox}') });
  assert.match(missing.stderr, /spec\.cronSpec: Required value/);
  const unknown = await cluster.kubectl(['apply', '-f', '-'], { input: cronTab('typo', '{cronSpec: "* * * * *", colour: red}') });
  assert.match(unknown.stderr, /unknown field "spec\.colour"/);
});

test('the status subresource is separate from the main resource', async () => {
  await cluster.ok(['patch', 'ct', 'nightly', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Scheduled"}}']);
  await cluster.ok(['patch', 'ct', 'nightly', '--type=merge', '-p', '{"status":{"phase":"Ignored"}}']);
  assert.equal(await cluster.ok(['get', 'ct', 'nightly', '-o', 'jsonpath={.status.phase}']), 'Scheduled');
});

test('deleting the CRD deletes its custom resources and stops serving them', async () => {
  await cluster.ok(['delete', 'crd', 'crontabs.stable.example.com', '--timeout=30s']);
  const resources = await cluster.kubectl(['get', 'crontabs']);
  assert.notEqual(resources.code, 0);
  await cluster.ok(['apply', '-f', '-'], { input: crd });
  await cluster.ok(['wait', '--for=condition=Established', '--timeout=20s', 'crd/crontabs.stable.example.com']);
  assert.match((await cluster.kubectl(['get', 'crontabs'])).stderr, /No resources found/);
});
