import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldErrors } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validateObjectMeta } from '../meta.js';
import { container, podSpec } from './fixtures.js';
import { coreValidators } from './index.js';

const v = (kind: string): (typeof coreValidators)[string] => coreValidators[kind]!;
const create = (obj: KubeObject): string => formatFieldErrors(v(obj.kind!).validate?.(obj) ?? []);
const update = (obj: KubeObject, old: KubeObject): string => formatFieldErrors(v(obj.kind!).validateUpdate?.(obj, old) ?? []);

const pod = (spec = podSpec()): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec });

test('every core kind is registered', () => {
  for (const kind of ['Pod', 'PodTemplate', 'ReplicationController', 'Service', 'Endpoints', 'Node', 'Namespace', 'Secret', 'ConfigMap',
    'ServiceAccount', 'PersistentVolume', 'PersistentVolumeClaim', 'LimitRange', 'ResourceQuota', 'Event', 'Binding', 'ComponentStatus']) {
    assert.ok(coreValidators[kind], kind);
  }
});

test('name validators per kind', () => {
  const meta = (kind: string, name: string, namespaced = true): string =>
    formatFieldErrors(validateObjectMeta({ name, ...(namespaced ? { namespace: 'd' } : {}) }, { namespaced, nameValidator: v(kind).nameValidator }));
  assert.match(meta('Pod', 'Web'), /^metadata\.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of/);
  assert.equal(meta('Pod', 'a.b'), '[]');
  assert.match(meta('Service', '1svc'), /^metadata\.name: Invalid value: "1svc": a DNS-1035 label must consist of/);
  assert.equal(meta('Namespace', 'a.b', false), 'metadata.name: Invalid value: "a.b": must not contain dots');
});

test('Pod: create and update rules', () => {

  assert.deepEqual(v('Pod').validate!(pod()), []);
  assert.equal(create(pod(podSpec({ containers: [container({ image: ' nginx' })] }))),
    'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace');
  const old = pod();
  assert.deepEqual(v('Pod').validateUpdate!(pod(podSpec({ containers: [container({ image: 'nginx:2' })] })), old), []);
  assert.deepEqual(v('Pod').validateUpdate!(pod(podSpec({ tolerations: [{ key: 'k', operator: 'Exists' }] })), old), []);
  const changed = update(pod(podSpec({ restartPolicy: 'Never' })), old);
  assert.ok(changed.startsWith('spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n'), changed);
  assert.equal(update(pod(podSpec({ containers: [container(), container({ name: 'b' })] })), old), 'spec.containers: Forbidden: pod updates may not add or remove containers');
  assert.equal(update(pod(podSpec({ activeDeadlineSeconds: 20 })), pod(podSpec({ activeDeadlineSeconds: 10 }))),
    'spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value');
});

test('ReplicationController', () => {
  const rc = (replicas: number, selector: Record<string, string>): KubeObject => ({
    kind: 'ReplicationController', metadata: { name: 'r', namespace: 'd' },
    spec: { replicas, selector, template: { metadata: { labels: { app: 'web' } }, spec: podSpec() } },
  });
  assert.deepEqual(v('ReplicationController').validate!(rc(1, { app: 'web' })), []);
  assert.equal(create(rc(-1, { app: 'web' })), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  assert.equal(create(rc(1, { app: 'db' })), 'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`');
});

test('Service', () => {
  const svc = (spec: Record<string, unknown>): KubeObject => ({
    kind: 'Service', metadata: { name: 's', namespace: 'd' },
    spec: { type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ...spec },
  });
  const port = (p: Record<string, unknown>): Record<string, unknown> => ({ protocol: 'TCP', port: 80, targetPort: 80, ...p });
  assert.deepEqual(v('Service').validate!(svc({ ports: [port({})] })), []);
  assert.equal(create(svc({ ports: [] })), 'spec.ports: Required value');
  assert.deepEqual(v('Service').validate!(svc({ clusterIP: 'None', ports: [] })), []);
  assert.equal(create(svc({ ports: [port({ name: 'a' }), port({ port: 81 })] })), 'spec.ports[1].name: Required value');
  assert.equal(create(svc({ ports: [port({ name: 'a' }), port({ name: 'a', port: 81 })] })), 'spec.ports[1].name: Duplicate value: "a"');
  assert.equal(create(svc({ type: 'Fancy', ports: [port({})] })),
    'spec.type: Unsupported value: "Fancy": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"');
  assert.equal(create(svc({ ports: [port({ nodePort: 30000 })] })), "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
  assert.equal(create(svc({ type: 'ExternalName', externalName: '' })), 'spec.externalName: Required value');
  assert.equal(
    update(svc({ clusterIP: '10.0.0.2', clusterIPs: ['10.0.0.2'], ports: [port({})] }), svc({ clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], ports: [port({})] })),
    'spec.clusterIPs[0]: Invalid value: ["10.0.0.2"]: may not change once set',
  );
});

test('Secret', () => {
  const secret = (o: Record<string, unknown>): KubeObject => ({ kind: 'Secret', metadata: { name: 's', namespace: 'd' }, type: 'Opaque', ...o });
  assert.deepEqual(v('Secret').validate!(secret({ data: { 'a.txt': 'eA==' } })), []);
  assert.match(create(secret({ data: { 'bad key': 'eA==' } })), /^data\[bad key\]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters/);
  assert.equal(create(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } })), 'data[tls.key]: Required value');
  assert.equal(create(secret({ stringData: { big: 'x'.repeat(1024 * 1024 + 1) } })), 'data: Too long: may not be more than 1048576 bytes');
  assert.equal(update(secret({ type: 'kubernetes.io/tls' }), secret({})), 'type: Invalid value: "kubernetes.io/tls": field is immutable');
  assert.equal(update(secret({ immutable: true, data: { a: 'eQ==' } }), secret({ immutable: true, data: { a: 'eA==' } })),
    'data: Forbidden: field is immutable when `immutable` is set');
});

test('ConfigMap', () => {
  const cm = (o: Record<string, unknown>): KubeObject => ({ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd' }, ...o });
  assert.deepEqual(v('ConfigMap').validate!(cm({ data: { 'app.conf': 'x' } })), []);
  assert.equal(create(cm({ data: { a: 'x' }, binaryData: { a: 'eA==' } })), 'data[a]: Invalid value: "a": duplicate of key present in binaryData');
  assert.equal(update(cm({ immutable: false }), cm({ immutable: true })), 'immutable: Forbidden: field is immutable when `immutable` is set');
});

test('PersistentVolumeClaim and PersistentVolume', () => {
  const pvc = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
    kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'd' }, spec: { volumeMode: 'Filesystem', ...spec }, ...(status ? { status } : {}),
  });
  const good = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
  assert.deepEqual(v('PersistentVolumeClaim').validate!(pvc(good)), []);
  assert.equal(create(pvc({ resources: { requests: { storage: '1Gi' } } })), 'spec.accessModes: Required value: at least 1 access mode is required');
  assert.equal(create(pvc({ accessModes: ['ReadWriteOnce'] })), 'spec.resources[storage]: Required value');
  assert.match(update(pvc({ ...good, accessModes: ['ReadWriteMany'] }), pvc(good)),
    /^spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n/);
  assert.deepEqual(v('PersistentVolumeClaim').validateUpdate!(pvc({ ...good, resources: { requests: { storage: '2Gi' } } }, { phase: 'Bound' }), pvc(good)), []);
  assert.equal(update(pvc({ ...good, resources: { requests: { storage: '512Mi' } } }, { phase: 'Bound' }), pvc(good)),
    'spec.resources.requests.storage: Forbidden: field can not be less than previous value');

  const pv = (spec: Record<string, unknown>): KubeObject => ({ kind: 'PersistentVolume', metadata: { name: 'v' }, spec });
  assert.deepEqual(v('PersistentVolume').validate!(pv({ accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/data' } })), []);
  assert.equal(create(pv({ accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } })), 'spec: Required value: must specify a volume type');
});

test('Namespace, Node, Endpoints, Binding, Event', () => {
  assert.equal(create({ kind: 'Namespace', metadata: { name: 'n' }, spec: { finalizers: ['custom'] } }),
    'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified');
  assert.equal(create({ kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } }),
    'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"');
  assert.equal(create({ kind: 'Endpoints', metadata: { name: 'e', namespace: 'd' }, subsets: [{ ports: [{ port: 80, protocol: 'TCP' }] }] }),
    'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`');
  assert.equal(create({ kind: 'Binding', metadata: { name: 'p', namespace: 'd' }, target: { kind: 'Pod', name: 'x' } }),
    'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"');
  assert.equal(create({ kind: 'Event', metadata: { name: 'e', namespace: 'd' }, involvedObject: { namespace: 'other' } }),
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace');
});

test('LimitRange and ResourceQuota', () => {
  assert.equal(create({ kind: 'LimitRange', metadata: { name: 'l', namespace: 'd' }, spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] } }),
    'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1');
  assert.equal(create({ kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'd' }, spec: { hard: { pods: '1.5' } } }),
    'spec.hard[pods]: Invalid value: "1500m": must be an integer');
  assert.equal(create({ kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'd' }, spec: { hard: { widgets: '1' } } }),
    '[spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified, spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota]');
});
