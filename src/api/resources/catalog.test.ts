import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  builtinGroupOrder,
  builtinResources,
  findResource,
  findResourceForKind,
  findSubresource,
  groupVersions,
  preferredVersionOf,
  resourcesForKind,
} from './catalog.js';

function mustFind(group: string, version: string, resource: string) {
  const info = findResource(group, version, resource);
  assert.ok(info, `${resource}.${group}/${version} should be served`);
  return info;
}

describe('builtin resource catalog', () => {
  it('lists each resource and each kind once per group version', () => {
    const resourceKeys = new Set<string>();
    const kindKeys = new Set<string>();
    for (const info of builtinResources) {
      const resourceKey = `${info.group}/${info.version}/${info.resource}`;
      const kindKey = `${info.group}/${info.version}/${info.kind}`;
      assert.ok(!resourceKeys.has(resourceKey), `duplicate resource ${resourceKey}`);
      assert.ok(!kindKeys.has(kindKey), `duplicate kind ${kindKey}`);
      resourceKeys.add(resourceKey);
      kindKeys.add(kindKey);
    }
  });

  it('uses upstream short names', () => {
    const expected: Array<[string, string, string, string[]]> = [
      ['', 'v1', 'pods', ['po']],
      ['', 'v1', 'services', ['svc']],
      ['', 'v1', 'configmaps', ['cm']],
      ['', 'v1', 'namespaces', ['ns']],
      ['', 'v1', 'nodes', ['no']],
      ['', 'v1', 'limitranges', ['limits']],
      ['', 'v1', 'resourcequotas', ['quota']],
      ['', 'v1', 'componentstatuses', ['cs']],
      ['', 'v1', 'secrets', []],
      ['apps', 'v1', 'deployments', ['deploy']],
      ['apps', 'v1', 'statefulsets', ['sts']],
      ['batch', 'v1', 'cronjobs', ['cj']],
      ['batch', 'v1', 'jobs', []],
      ['autoscaling', 'v2', 'horizontalpodautoscalers', ['hpa']],
      ['policy', 'v1', 'poddisruptionbudgets', ['pdb']],
      ['networking.k8s.io', 'v1', 'networkpolicies', ['netpol']],
      ['networking.k8s.io', 'v1', 'ingresses', ['ing']],
      ['storage.k8s.io', 'v1', 'storageclasses', ['sc']],
      ['scheduling.k8s.io', 'v1', 'priorityclasses', ['pc']],
      ['certificates.k8s.io', 'v1', 'certificatesigningrequests', ['csr']],
      ['apiextensions.k8s.io', 'v1', 'customresourcedefinitions', ['crd', 'crds']],
      ['events.k8s.io', 'v1', 'events', ['ev']],
    ];
    for (const [group, version, resource, shortNames] of expected) {
      assert.deepEqual(mustFind(group, version, resource).shortNames, shortNames, resource);
    }
  });

  it('puts exactly the upstream kinds in the "all" category', () => {
    const inAll = builtinResources
      .filter((info) => info.categories.includes('all') && info.preferredVersion)
      .map((info) => info.resource)
      .sort();
    assert.deepEqual(inAll, [
      'cronjobs',
      'daemonsets',
      'deployments',
      'horizontalpodautoscalers',
      'jobs',
      'pods',
      'replicasets',
      'replicationcontrollers',
      'services',
      'statefulsets',
    ]);
  });

  it('marks API-extending kinds with the api-extensions category', () => {
    const extending = builtinResources
      .filter((info) => info.categories.includes('api-extensions'))
      .map((info) => info.resource)
      .sort();
    assert.deepEqual(extending, [
      'apiservices',
      'customresourcedefinitions',
      'mutatingwebhookconfigurations',
      'validatingadmissionpolicies',
      'validatingadmissionpolicybindings',
      'validatingwebhookconfigurations',
    ]);
  });

  it('has the well-known subresources with their kinds', () => {
    const scale = findSubresource('apps', 'v1', 'deployments', 'scale');
    assert.deepEqual(
      scale && { group: scale.subresource.group, version: scale.subresource.version, kind: scale.subresource.kind },
      { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    );
    const eviction = findSubresource('', 'v1', 'pods', 'eviction')?.subresource;
    assert.equal(eviction?.group, 'policy');
    assert.equal(eviction?.kind, 'Eviction');
    assert.deepEqual(eviction?.verbs, ['create']);
    assert.equal(findSubresource('', 'v1', 'serviceaccounts', 'token')?.subresource.kind, 'TokenRequest');
    assert.equal(findSubresource('', 'v1', 'pods', 'exec')?.subresource.kind, 'PodExecOptions');
    assert.deepEqual(findSubresource('', 'v1', 'namespaces', 'finalize')?.subresource.verbs, ['update']);
    assert.ok(findSubresource('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'approval'));
    assert.ok(findSubresource('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'status'));
    assert.ok(findSubresource('', 'v1', 'persistentvolumes', 'status'));
    assert.ok(findSubresource('', 'v1', 'replicationcontrollers', 'scale'));
    for (const workload of ['deployments', 'replicasets', 'statefulsets']) {
      assert.ok(findSubresource('apps', 'v1', workload, 'scale'), `${workload}/scale`);
    }
    // pods/resize arrived in v1.33; v1.32 must not advertise it.
    assert.equal(findSubresource('', 'v1', 'pods', 'resize'), undefined);
    const podSubresources = mustFind('', 'v1', 'pods').subresources.map((sub) => sub.name);
    assert.deepEqual(podSubresources.sort(), [
      'attach',
      'binding',
      'ephemeralcontainers',
      'eviction',
      'exec',
      'log',
      'portforward',
      'proxy',
      'status',
    ]);
  });

  it('serves review APIs as create-only and namespaces without deletecollection', () => {
    for (const [group, resource] of [
      ['authentication.k8s.io', 'tokenreviews'],
      ['authentication.k8s.io', 'selfsubjectreviews'],
      ['authorization.k8s.io', 'subjectaccessreviews'],
      ['authorization.k8s.io', 'localsubjectaccessreviews'],
      ['authorization.k8s.io', 'selfsubjectaccessreviews'],
      ['authorization.k8s.io', 'selfsubjectrulesreviews'],
    ] as const) {
      assert.deepEqual(mustFind(group, 'v1', resource).verbs, ['create'], resource);
    }
    assert.equal(mustFind('authorization.k8s.io', 'v1', 'localsubjectaccessreviews').namespaced, true);
    assert.ok(!mustFind('', 'v1', 'namespaces').verbs.includes('deletecollection'));
  });

  it('does not serve APIs that are beta or removed in v1.32', () => {
    assert.equal(findResource('networking.k8s.io', 'v1', 'ipaddresses'), undefined);
    assert.equal(findResource('networking.k8s.io', 'v1', 'servicecidrs'), undefined);
    assert.equal(findResource('flowcontrol.apiserver.k8s.io', 'v1beta3', 'flowschemas'), undefined);
    assert.equal(findResource('storage.k8s.io', 'v1', 'volumeattributesclasses'), undefined);
  });

  it('stores autoscaling/v1 and events.k8s.io through their storage versions', () => {
    assert.deepEqual(mustFind('autoscaling', 'v1', 'horizontalpodautoscalers').storage, {
      group: 'autoscaling',
      version: 'v2',
      resource: 'horizontalpodautoscalers',
    });
    assert.equal(mustFind('autoscaling', 'v2', 'horizontalpodautoscalers').storage, undefined);
    assert.deepEqual(mustFind('events.k8s.io', 'v1', 'events').storage, { group: '', version: 'v1', resource: 'events' });
  });

  it('looks up by kind, preferred version first', () => {
    assert.deepEqual(
      resourcesForKind('autoscaling', 'HorizontalPodAutoscaler').map((info) => info.version),
      ['v2', 'v1'],
    );
    assert.equal(resourcesForKind('apps', 'Pod').length, 0);
    assert.equal(findResourceForKind('', 'v1', 'Pod')?.resource, 'pods');
    assert.equal(findResourceForKind('events.k8s.io', 'v1', 'Event')?.group, 'events.k8s.io');
    assert.equal(preferredVersionOf('autoscaling'), 'v2');
  });

  it('lists group versions in upstream /apis order', () => {
    const listed = groupVersions().map(({ group, version }) => (group === '' ? version : `${group}/${version}`));
    assert.deepEqual(listed.slice(0, 9), [
      'v1',
      'apiregistration.k8s.io/v1',
      'apps/v1',
      'events.k8s.io/v1',
      'authentication.k8s.io/v1',
      'authorization.k8s.io/v1',
      'autoscaling/v2',
      'autoscaling/v1',
      'batch/v1',
    ]);
    assert.equal(listed.at(-1), 'flowcontrol.apiserver.k8s.io/v1');
    const groupsInOrder = [...new Set(groupVersions().map((gv) => gv.group))];
    assert.deepEqual(groupsInOrder, builtinGroupOrder);
  });

  it('names singulars after the lower-cased kind', () => {
    assert.equal(mustFind('', 'v1', 'endpoints').singularName, 'endpoints');
    assert.equal(mustFind('storage.k8s.io', 'v1', 'csistoragecapacities').singularName, 'csistoragecapacity');
    assert.equal(mustFind('networking.k8s.io', 'v1', 'ingresses').singularName, 'ingress');
  });
});
