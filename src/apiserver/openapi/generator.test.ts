// The build-time generator (scripts/gen-openapi.ts): names, types, formats, special schemas.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upstreamSchemaName } from '../../../scripts/openapi/schema-names.js';
import { propertyHints } from '../../../scripts/openapi/validator-hints.js';
import { generateOpenApiSchemas } from '../../../scripts/gen-openapi.js';

type Schema = { [key: string]: any };

const scratch = mkdtempSync(join(tmpdir(), 'k8ts-openapi-'));
const outFile = generateOpenApiSchemas(join(scratch, 'schemas.json'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const schemas = (JSON.parse(readFileSync(outFile, 'utf8')) as { schemas: Record<string, Schema> }).schemas;

test('kubernetes-models names map to upstream definition names', () => {
  assert.equal(upstreamSchemaName('IoK8sApiAppsV1DeploymentStrategy'), 'io.k8s.api.apps.v1.DeploymentStrategy');
  assert.equal(upstreamSchemaName('IIoK8sApiCoreV1Pod'), 'io.k8s.api.core.v1.Pod');
  assert.equal(upstreamSchemaName('IoK8sApiRbacV1ClusterRole'), 'io.k8s.api.rbac.v1.ClusterRole');
  assert.equal(upstreamSchemaName('IoK8sApiAutoscalingV2beta2MetricSpec'), 'io.k8s.api.autoscaling.v2beta2.MetricSpec');
  assert.equal(upstreamSchemaName('IoK8sApimachineryPkgApisMetaV1ObjectMeta'), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.equal(upstreamSchemaName('IoK8sApimachineryPkgUtilIntstrIntOrString'), 'io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(
    upstreamSchemaName('IoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaProps'),
    'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
  );
  assert.equal(upstreamSchemaName('IoK8sKubeAggregatorPkgApisApiregistrationV1APIService'), 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService');
  assert.equal(upstreamSchemaName('SomethingElse'), undefined);
});

test('validator hints recover integer formats per property', () => {
  const source =
    'import{formats}from"x";export const validate=validate1;let formats0=formats.int64;' +
    'function validate0(data,{instancePath=""}={}){let err0={params:{type:"integer"}};formats0.validate(data)}' +
    'function validate1(data,{instancePath=""}={}){void 0!==data.size&&validate0(data.size,{instancePath:instancePath+"/size"});' +
    'void 0!==data["x-y"]&&validate0(data["x-y"],{instancePath:instancePath+"/x-y"})}';
  const hints = propertyHints(source);
  assert.deepEqual(hints.get('size'), { type: 'integer', format: 'int64' });
  assert.deepEqual(hints.get('x-y'), { type: 'integer', format: 'int64' });
});

test('top-level kinds carry their group-version-kind and described fields', () => {
  const deployment = schemas['io.k8s.api.apps.v1.Deployment']!;
  assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.equal(deployment.type, 'object');
  assert.equal(deployment.properties.kind.type, 'string');
  assert.ok(deployment.properties.apiVersion.description);
  assert.deepEqual(deployment.properties.spec.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }]);
  assert.equal(deployment.required, undefined, 'apiVersion/kind are not required');
  assert.deepEqual(schemas['io.k8s.api.core.v1.Pod']!['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
});

test('scalar types, enums, formats, maps and required fields', () => {
  const spec = schemas['io.k8s.api.apps.v1.DeploymentSpec']!;
  assert.deepEqual(spec.required, ['selector', 'template']);
  assert.equal(spec.properties.replicas.type, 'integer');
  assert.equal(spec.properties.replicas.format, 'int32');
  assert.equal(spec.properties.paused.type, 'boolean');
  const strategy = schemas['io.k8s.api.apps.v1.DeploymentStrategy']!;
  assert.deepEqual(strategy.properties.type.enum, ['Recreate', 'RollingUpdate']);
  assert.deepEqual(schemas['io.k8s.api.core.v1.Secret']!.properties.data.additionalProperties, { type: 'string', format: 'byte' });
  assert.equal(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.properties.generation.format, 'int64');
  assert.deepEqual(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.properties.labels.additionalProperties, { type: 'string' });
  const containers = schemas['io.k8s.api.core.v1.PodSpec']!.properties.containers;
  assert.equal(containers.type, 'array');
  assert.deepEqual(containers.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
});

test('special apimachinery types follow upstream', () => {
  const intOrString = schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!;
  assert.equal(intOrString.format, 'int-or-string');
  assert.equal(intOrString['x-kubernetes-int-or-string'], true);
  assert.equal(intOrString.type, undefined, 'untyped so kubectl explain prints <IntOrString>');
  const quantity = schemas['io.k8s.apimachinery.pkg.api.resource.Quantity']!;
  assert.deepEqual(quantity.oneOf, [{ type: 'string' }, { type: 'number' }]);
  assert.deepEqual(
    { type: schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Time']!.type, format: schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Time']!.format },
    { type: 'string', format: 'date-time' },
  );
  assert.equal(schemas['io.k8s.apimachinery.pkg.runtime.RawExtension']!.type, 'object');
  assert.equal(schemas['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON']!.type, undefined);
});

test('every $ref in the generated schemas resolves', () => {
  const refs = JSON.stringify(schemas).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
  for (const ref of new Set(refs)) {
    const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
    assert.ok(schemas[name], `dangling ref ${name}`);
  }
});
