import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../api/resources/catalog.js';
import type { ResourceInfo } from '../../api/resources/types.js';
import {
  buildAggregatedDiscovery,
  buildApiGroup,
  buildApiGroupList,
  buildApiResourceList,
  buildApiVersions,
  compareVersionPriority,
  respondToDiscoveryRoot,
  storageVersionHash,
  type APIGroupDiscoveryList,
} from './index.js';

function row(group: string, version: string, name: string) {
  const list = buildApiResourceList(builtinResources, group, version);
  assert.ok(list, `${group}/${version} should be served`);
  const found = list.resources.find((entry) => entry.name === name);
  assert.ok(found, `${name} should be listed in ${group}/${version}`);
  return found;
}

function aggregatedResource(doc: APIGroupDiscoveryList, group: string, version: string, resource: string) {
  const groupEntry = doc.items.find((item) => (item.metadata.name ?? '') === group);
  const versionEntry = groupEntry?.versions.find((entry) => entry.version === version);
  const found = versionEntry?.resources.find((entry) => entry.resource === resource);
  assert.ok(found, `${resource} in ${group}/${version}`);
  return found;
}

describe('legacy discovery', () => {
  it('/api lists v1 and the server address', () => {
    assert.deepEqual(buildApiVersions('10.0.0.1:6443'), {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
    });
  });

  it('/apis lists groups in upstream order with preferred versions', () => {
    const list = buildApiGroupList(builtinResources);
    assert.equal(list.kind, 'APIGroupList');
    assert.equal(list.apiVersion, 'v1');
    assert.ok(!list.groups.some((group) => group.name === ''), 'core group is served at /api');
    assert.deepEqual(
      list.groups.slice(0, 3).map((group) => group.name),
      ['apiregistration.k8s.io', 'apps', 'events.k8s.io'],
    );
    const autoscaling = list.groups.find((group) => group.name === 'autoscaling');
    assert.deepEqual(autoscaling, {
      name: 'autoscaling',
      versions: [
        { groupVersion: 'autoscaling/v2', version: 'v2' },
        { groupVersion: 'autoscaling/v1', version: 'v1' },
      ],
      preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
    });
  });

  it('/apis/<group> is an APIGroup, unknown groups are undefined', () => {
    const apps = buildApiGroup(builtinResources, 'apps');
    assert.equal(apps?.kind, 'APIGroup');
    assert.equal(apps?.preferredVersion.groupVersion, 'apps/v1');
    assert.equal(buildApiGroup(builtinResources, 'example.com'), undefined);
  });

  it('/api/v1 rows match upstream, subresources included', () => {
    const list = buildApiResourceList(builtinResources, '', 'v1');
    assert.equal(list?.groupVersion, 'v1');
    assert.equal(list?.apiVersion, undefined);
    assert.deepEqual(row('', 'v1', 'pods'), {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
      storageVersionHash: 'xPOwRZ+Yhw8=',
    });
    assert.deepEqual(row('', 'v1', 'pods/eviction'), {
      name: 'pods/eviction',
      singularName: '',
      namespaced: true,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    assert.deepEqual(row('', 'v1', 'pods/status'), {
      name: 'pods/status',
      singularName: '',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get', 'patch', 'update'],
    });
    // Virtual resources have no storage, so no hash.
    assert.equal(row('', 'v1', 'bindings').storageVersionHash, undefined);
    assert.equal(row('', 'v1', 'componentstatuses').storageVersionHash, undefined);
    // Names sorted like upstream: a resource's subresources directly follow it.
    const names = list?.resources.map((entry) => entry.name) ?? [];
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.indexOf('pods/status') < names.indexOf('podtemplates'));
  });

  it('group lists carry apiVersion and the Scale kind of scale subresources', () => {
    const apps = buildApiResourceList(builtinResources, 'apps', 'v1');
    assert.equal(apps?.apiVersion, 'v1');
    assert.equal(apps?.groupVersion, 'apps/v1');
    assert.deepEqual(row('apps', 'v1', 'deployments/scale'), {
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
    assert.deepEqual(row('apps', 'v1', 'deployments').shortNames, ['deploy']);
    assert.equal(buildApiResourceList(builtinResources, 'apps', 'v1beta1'), undefined);
  });

  it('hashes the storage version, as upstream does', () => {
    assert.equal(storageVersionHash('', 'v1', 'ConfigMap'), 'qFsyl6wFWjQ=');
    assert.equal(row('', 'v1', 'configmaps').storageVersionHash, 'qFsyl6wFWjQ=');
    // autoscaling/v1 objects are stored as v2, events.k8s.io ones as core events.
    assert.equal(row('autoscaling', 'v1', 'horizontalpodautoscalers').storageVersionHash, 'qwQve8ut294=');
    assert.equal(row('events.k8s.io', 'v1', 'events').storageVersionHash, 'r2yiGXH7wu8=');
    assert.equal(row('authorization.k8s.io', 'v1', 'subjectaccessreviews').storageVersionHash, undefined);
  });
});

describe('aggregated discovery', () => {
  it('/api holds only the unnamed core group', () => {
    const doc = buildAggregatedDiscovery(builtinResources, 'api');
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
    assert.deepEqual(doc.metadata, {});
    assert.equal(doc.items.length, 1);
    assert.deepEqual(doc.items[0]?.metadata, { creationTimestamp: null });
    assert.deepEqual(
      doc.items[0]?.versions.map((entry) => [entry.version, entry.freshness]),
      [['v1', 'Current']],
    );
    const pods = aggregatedResource(doc, '', 'v1', 'pods');
    assert.deepEqual(pods.responseKind, { group: '', version: '', kind: 'Pod' });
    assert.equal(pods.scope, 'Namespaced');
    assert.equal(pods.singularResource, 'pod');
    assert.deepEqual(pods.shortNames, ['po']);
    assert.deepEqual(pods.categories, ['all']);
    const eviction = pods.subresources?.find((sub) => sub.subresource === 'eviction');
    assert.deepEqual(eviction, {
      subresource: 'eviction',
      responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' },
      verbs: ['create'],
    });
    const status = pods.subresources?.find((sub) => sub.subresource === 'status');
    assert.deepEqual(status?.responseKind, { group: '', version: '', kind: 'Pod' });
    // Resources without short names, categories or subresources leave those fields out.
    const secrets = aggregatedResource(doc, '', 'v1', 'secrets');
    assert.deepEqual(Object.keys(secrets), ['resource', 'responseKind', 'scope', 'singularResource', 'verbs']);
  });

  it('/apis holds every named group, versions preferred first', () => {
    const doc = buildAggregatedDiscovery(builtinResources, 'apis');
    const names = doc.items.map((item) => item.metadata.name);
    assert.equal(names[0], 'apiregistration.k8s.io');
    assert.ok(!names.includes(undefined));
    const autoscaling = doc.items.find((item) => item.metadata.name === 'autoscaling');
    assert.deepEqual(
      autoscaling?.versions.map((entry) => entry.version),
      ['v2', 'v1'],
    );
    const deployments = aggregatedResource(doc, 'apps', 'v1', 'deployments');
    assert.deepEqual(deployments.shortNames, ['deploy']);
    assert.deepEqual(
      deployments.subresources?.map((sub) => [sub.subresource, sub.responseKind.group, sub.responseKind.kind]),
      [
        ['scale', 'autoscaling', 'Scale'],
        ['status', '', 'Deployment'],
      ],
    );
    assert.equal(aggregatedResource(doc, 'rbac.authorization.k8s.io', 'v1', 'clusterroles').scope, 'Cluster');
  });

  it('lists every kind once per group version', () => {
    for (const root of ['api', 'apis'] as const) {
      const doc = buildAggregatedDiscovery(builtinResources, root);
      for (const item of doc.items) {
        for (const entry of item.versions) {
          const kinds = entry.resources.map((resource) => resource.responseKind.kind);
          assert.equal(new Set(kinds).size, kinds.length, `${item.metadata.name ?? ''}/${entry.version}`);
        }
      }
    }
    const total = ['api', 'apis']
      .flatMap((root) => buildAggregatedDiscovery(builtinResources, root as 'api' | 'apis').items)
      .flatMap((item) => item.versions)
      .reduce((sum, entry) => sum + entry.resources.length, 0);
    assert.equal(total, builtinResources.length);
  });

  it('v2beta1 differs only in apiVersion', () => {
    const v2 = buildAggregatedDiscovery(builtinResources, 'apis', 'v2');
    const v2beta1 = buildAggregatedDiscovery(builtinResources, 'apis', 'v2beta1');
    assert.equal(v2beta1.apiVersion, 'apidiscovery.k8s.io/v2beta1');
    assert.deepEqual({ ...v2beta1, apiVersion: v2.apiVersion }, v2);
  });

  it('places custom resource groups after built-ins, versions by priority', () => {
    const widget = (version: string): ResourceInfo => ({
      group: 'example.com',
      version,
      resource: 'widgets',
      singularName: 'widget',
      kind: 'Widget',
      namespaced: true,
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['wd'],
      categories: ['all'],
      subresources: [],
    });
    const resources = [...builtinResources, widget('v1beta1'), widget('v1'), widget('v1alpha1')];
    const doc = buildAggregatedDiscovery(resources, 'apis');
    const last = doc.items.at(-1);
    assert.equal(last?.metadata.name, 'example.com');
    assert.deepEqual(
      last?.versions.map((entry) => entry.version),
      ['v1', 'v1beta1', 'v1alpha1'],
    );
    assert.equal(buildApiGroup(resources, 'example.com')?.preferredVersion.version, 'v1');
  });
});

describe('respondToDiscoveryRoot', () => {
  it('serves what the Accept header asks for', () => {
    const kubectl = [
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
      'application/json',
    ].join(',');
    const aggregated = respondToDiscoveryRoot(builtinResources, 'apis', kubectl, '127.0.0.1:6443');
    assert.equal(aggregated.contentType, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(aggregated.body.kind, 'APIGroupDiscoveryList');
    const legacy = respondToDiscoveryRoot(builtinResources, 'api', undefined, '127.0.0.1:6443');
    assert.equal(legacy.contentType, 'application/json');
    assert.equal(legacy.body.kind, 'APIVersions');
  });
});

describe('compareVersionPriority', () => {
  it('orders versions the Kubernetes way', () => {
    const versions = ['v1alpha1', 'foo10', 'v1', 'v11alpha2', 'v2beta1', 'v2', 'foo1', 'v1beta2', 'v1beta1'];
    assert.deepEqual(versions.sort(compareVersionPriority), [
      'v2',
      'v1',
      'v2beta1',
      'v1beta2',
      'v1beta1',
      'v11alpha2',
      'v1alpha1',
      'foo1',
      'foo10',
    ]);
  });
});
