import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { patchSchemaFor } from './patch-metadata.js';
import { genericUnprocessableMessage } from './patch-errors.js';
import type { PatchSchema } from './patch-schema.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const deploymentSchema = patchSchemaFor('apps', 'Deployment') as PatchSchema;
const podSchema = patchSchemaFor('', 'Pod') as PatchSchema;

function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'front' }, finalizers: ['a', 'b'] },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }],
            },
            { name: 'sidecar', image: 'envoy:1' },
          ],
          volumes: [{ name: 'cfg', configMap: { name: 'web-config' } }],
          tolerations: [{ key: 'k', operator: 'Exists' }],
        },
      },
    },
  };
}

const smp = (doc: Obj, patch: unknown, schema: PatchSchema = deploymentSchema) => applyStrategicMergePatch(doc, patch, schema) as Obj;
const podSpec = (d: Obj): Obj => d['spec']['template']['spec'];
const names = (list: Obj[]): string[] => list.map((c) => c['name']);

function expectStatus(fn: () => unknown, code: number, message: string, reason?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof StatusError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    if (reason !== undefined) assert.equal(err.toStatus().reason, reason);
    return true;
  });
}

describe('applyStrategicMergePatch: what kubectl apply sends', () => {
  it('changes a container image and keeps the other containers and fields', () => {
    const doc = deployment();
    const out = smp(doc, {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } },
    });
    const [nginx, sidecar] = podSpec(out)['containers'];
    assert.equal(nginx['image'], 'nginx:1.26');
    assert.deepEqual(nginx['env'], doc['spec']['template']['spec']['containers'][0]['env']);
    assert.deepEqual(sidecar, { name: 'sidecar', image: 'envoy:1' });
    assert.equal(out['metadata']['annotations']['kubectl.kubernetes.io/last-applied-configuration'], '{}');
    assert.equal(podSpec(doc)['containers'][0]['image'], 'nginx:1.25', 'input is not mutated');
  });

  it('removes an env var with a $patch: delete element', () => {
    const out = smp(deployment(), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
            containers: [{ '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'B' }], name: 'nginx' }],
          },
        },
      },
    });
    assert.deepEqual(podSpec(out)['containers'][0]['env'], [{ name: 'A', value: '1' }]);
  });

  it('reorders containers with $setElementOrder alone', () => {
    const out = smp(deployment(), { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }] } } } });
    assert.deepEqual(names(podSpec(out)['containers']), ['sidecar', 'nginx']);
    assert.equal(podSpec(out)['containers'][1]['image'], 'nginx:1.25');
  });

  it('adds a container at the position $setElementOrder gives, keeping server-only ones near their neighbours', () => {
    const out = smp(deployment(), {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'log' }], containers: [{ name: 'log', image: 'busybox' }] } } },
    });
    assert.deepEqual(names(podSpec(out)['containers']), ['nginx', 'log', 'sidecar']);
  });

  it('removes a label with null', () => {
    const out = smp(deployment(), { metadata: { labels: { tier: null, gone: null } } });
    assert.deepEqual(out['metadata']['labels'], { app: 'web' });
  });

  it('switches a Deployment strategy to Recreate with $retainKeys', () => {
    const out = smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } });
    assert.deepEqual(out['spec']['strategy'], { type: 'Recreate' });
  });

  it('clears keys missing from $retainKeys even without a null for them', () => {
    const out = smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual(out['spec']['strategy'], { type: 'Recreate' });
  });

  it('swaps a volume source with $retainKeys inside a merge,retainKeys list', () => {
    const out = smp(deployment(), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'cfg' }],
            volumes: [{ $retainKeys: ['name', 'secret'], configMap: null, name: 'cfg', secret: { secretName: 's' } }],
          },
        },
      },
    });
    assert.deepEqual(podSpec(out)['volumes'], [{ name: 'cfg', secret: { secretName: 's' } }]);
  });

  it('merges container ports by containerPort and volume mounts by mountPath', () => {
    const out = smp(deployment(), {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'nginx', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }], volumeMounts: [{ mountPath: '/etc/cfg', readOnly: true }] },
            ],
          },
        },
      },
    });
    const nginx = podSpec(out)['containers'][0];
    assert.deepEqual(nginx['ports'], [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 443 }]);
    assert.deepEqual(nginx['volumeMounts'], [{ name: 'cfg', mountPath: '/etc/cfg', readOnly: true }]);
  });

  it('removes finalizers with $deleteFromPrimitiveList and merges new ones as a set', () => {
    const out = smp(deployment(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c', 'b'] } });
    assert.deepEqual(out['metadata']['finalizers'], ['c', 'b']);
    // Upstream's ordering puts patch items the live list does not know ahead of server-only ones.
    const added = smp(deployment(), { metadata: { finalizers: ['c'] } });
    assert.deepEqual(added['metadata']['finalizers'], ['c', 'a', 'b']);
    const kept = smp(deployment(), { metadata: { finalizers: ['b'] } });
    assert.deepEqual(kept['metadata']['finalizers'], ['a', 'b']);
  });

  it('orders primitive sets by $setElementOrder', () => {
    const out = smp(deployment(), { metadata: { '$setElementOrder/finalizers': ['b', 'x', 'a'], finalizers: ['x'] } });
    assert.deepEqual(out['metadata']['finalizers'], ['b', 'x', 'a']);
  });

  it('replaces atomic lists such as tolerations', () => {
    const out = smp(deployment(), { spec: { template: { spec: { tolerations: [{ key: 'other', operator: 'Equal', value: 'v' }] } } } });
    assert.deepEqual(podSpec(out)['tolerations'], [{ key: 'other', operator: 'Equal', value: 'v' }]);
  });
});

describe('applyStrategicMergePatch: kubectl patch / set image / label', () => {
  it('kubectl set image sends a containers list merged by name', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy:2' }] } } } });
    assert.deepEqual(
      podSpec(out)['containers'].map((c: Obj) => c['image']),
      ['nginx:1.25', 'envoy:2'],
    );
  });

  it('kubectl patch --type=strategic deletes a container with $patch: delete', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } });
    assert.deepEqual(names(podSpec(out)['containers']), ['nginx']);
  });

  it('kubectl label / annotate payloads work as strategic patches too', () => {
    const out = smp(deployment(), { metadata: { labels: { env: 'prod' }, annotations: { owner: 'me' } } });
    assert.deepEqual(out['metadata']['labels'], { app: 'web', tier: 'front', env: 'prod' });
    assert.deepEqual(out['metadata']['annotations'], { owner: 'me' });
  });

  it('$patch: replace on a map replaces it whole', () => {
    const out = smp(deployment(), { metadata: { labels: { $patch: 'replace', only: 'this' } } });
    assert.deepEqual(out['metadata']['labels'], { only: 'this' });
  });

  it('$patch: delete on a map empties it', () => {
    const out = smp(deployment(), { spec: { template: { metadata: { labels: { $patch: 'delete' } } } } });
    assert.deepEqual(out['spec']['template']['metadata']['labels'], {});
  });

  it('$patch: replace inside a merge list makes the patch list the whole list', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'solo', image: 'x' }] } } } });
    assert.deepEqual(podSpec(out)['containers'], [{ name: 'solo', image: 'x' }]);
  });

  it('drops directives from values added where the object had nothing (upstream removeDirectives)', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x' }] } };
    const out = applyStrategicMergePatch(pod, { metadata: { annotations: { $patch: 'replace', a: 'b' } }, spec: { initContainers: [{ name: 'i', $patch: 'delete' }, { name: 'j', image: 'y', env: [{ name: 'E', value: null }] }] } }, podSchema) as Obj;
    assert.equal(out['metadata']['annotations'], undefined);
    assert.deepEqual(out['spec']['initContainers'], [{ name: 'j', image: 'y', env: [{ name: 'E' }] }]);
  });

  it('does not leave directive keys in brand-new list elements', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'new', image: 'n', '$setElementOrder/env': [{ name: 'X' }], env: [{ name: 'X', value: 'x' }] }] } } } });
    assert.deepEqual(names(podSpec(out)['containers']), ['new', 'nginx', 'sidecar']);
    assert.deepEqual(podSpec(out)['containers'][0], { name: 'new', image: 'n', env: [{ name: 'X', value: 'x' }] });
  });

  it('merges ownerReferences by uid and pod conditions by type', () => {
    const pod = {
      metadata: { name: 'p', ownerReferences: [{ uid: '1', name: 'rs', kind: 'ReplicaSet' }] },
      status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] },
    };
    const out = applyStrategicMergePatch(pod, { metadata: { ownerReferences: [{ uid: '2', name: 'other', kind: 'Job' }] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, podSchema) as Obj;
    assert.deepEqual(out['metadata']['ownerReferences'].map((o: Obj) => o['uid']), ['2', '1']);
    assert.deepEqual(out['status']['conditions'], [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }]);
  });

  it('replaces a PodDisruptionBudget selector (patchStrategy=replace)', () => {
    const pdb = { spec: { selector: { matchLabels: { app: 'a' } }, minAvailable: 1 } };
    const out = applyStrategicMergePatch(pdb, { spec: { selector: { matchExpressions: [] } } }, patchSchemaFor('policy', 'PodDisruptionBudget') as PatchSchema) as Obj;
    assert.deepEqual(out['spec'], { selector: { matchExpressions: [] }, minAvailable: 1 });
  });

  it('a null patch changes nothing', () => {
    assert.deepEqual(smp(deployment(), null), deployment());
  });
});

describe('applyStrategicMergePatch: errors as upstream words them', () => {
  it('missing merge key is a bare 500', () => {
    expectStatus(
      () => smp(deployment(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }),
      500,
      'map: map[image:x] does not contain declared merge key: name',
      '',
    );
  });

  it('unknown $patch directives are a bare 500', () => {
    expectStatus(() => smp(deployment(), { metadata: { labels: { $patch: 'frob' } } }), 500, 'unknown patch type: frob in map: map[$patch:frob]');
    expectStatus(
      () => smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'nginx', $patch: 'merge' }] } } } }),
      500,
      'merging lists cannot yet be specified in the patch',
    );
  });

  it('malformed $retainKeys, $setElementOrder and $deleteFromPrimitiveList are 400', () => {
    expectStatus(() => smp(deployment(), { spec: { strategy: { $retainKeys: 'type' } } }), 400, 'invalid patch format of retainKeys', 'BadRequest');
    expectStatus(() => smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }), 400, 'invalid patch format of retainKeys');
    expectStatus(() => smp(deployment(), { metadata: { $setElementOrder: ['a'] } }), 400, 'invalid patch format of setElementOrder list');
    expectStatus(() => smp(deployment(), { metadata: { $deleteFromPrimitiveList: ['a'] } }), 400, 'invalid patch format of primitive list');
  });

  it('a patch list out of $setElementOrder order is a 500', () => {
    assert.throws(
      () => smp(deployment(), { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ name: 'sidecar', image: 'z' }] } } } }),
      { code: 500, message: /^the order in patch list:\n\[map\[image:z name:sidecar\]\]\n doesn't match \$setElementOrder list:/ },
    );
  });

  it('lists of lists get the generic 422', () => {
    const doc = deployment();
    doc['metadata']['finalizers'] = [];
    expectStatus(() => smp(doc, { metadata: { finalizers: [['x']] } }), 422, genericUnprocessableMessage, 'Invalid');
  });

  it('a non-object body is a 400 decode error', () => {
    expectStatus(() => smp(deployment(), [1]), 400, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
  });

  it('refuses absurdly deep documents with 400 instead of overflowing the stack', () => {
    let deep: Obj = { leaf: 1 };
    for (let i = 0; i < 20000; i++) deep = { a: deep };
    expectStatus(() => smp({}, deep), 400, 'the patch nests deeper than 1000 levels', 'BadRequest');
  });

  it('mixed element types are a 500', () => {
    assert.throws(() => smp(deployment(), { metadata: { finalizers: [1] } }), { code: 500, message: /^list element types are not identical/ });
  });
});
