import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { printerFor } from './registry.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

const obj = (value: Record<string, unknown>): KubeObject => value as KubeObject;
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: ago(5 * DAY), ...extra });
const headers = (group: string, kind: string): string[] => printerFor(group, kind).columns.map((c) => c.name.toUpperCase());

test('every printer emits one cell per column', () => {
  const kinds: [string, string][] = [
    ['', 'Pod'], ['', 'PodTemplate'], ['', 'ReplicationController'], ['', 'Service'], ['', 'Endpoints'], ['', 'Node'],
    ['', 'Namespace'], ['', 'Event'], ['', 'Secret'], ['', 'ConfigMap'], ['', 'ServiceAccount'], ['', 'PersistentVolume'],
    ['', 'PersistentVolumeClaim'], ['', 'LimitRange'], ['', 'ResourceQuota'], ['', 'ComponentStatus'],
    ['apps', 'Deployment'], ['apps', 'ReplicaSet'], ['apps', 'StatefulSet'], ['apps', 'DaemonSet'], ['apps', 'ControllerRevision'],
    ['batch', 'Job'], ['batch', 'CronJob'], ['autoscaling', 'HorizontalPodAutoscaler'], ['policy', 'PodDisruptionBudget'],
    ['rbac.authorization.k8s.io', 'Role'], ['rbac.authorization.k8s.io', 'RoleBinding'],
    ['rbac.authorization.k8s.io', 'ClusterRole'], ['rbac.authorization.k8s.io', 'ClusterRoleBinding'],
    ['networking.k8s.io', 'Ingress'], ['networking.k8s.io', 'IngressClass'], ['networking.k8s.io', 'NetworkPolicy'],
    ['storage.k8s.io', 'StorageClass'], ['storage.k8s.io', 'CSIDriver'], ['storage.k8s.io', 'CSINode'],
    ['storage.k8s.io', 'VolumeAttachment'], ['storage.k8s.io', 'CSIStorageCapacity'], ['coordination.k8s.io', 'Lease'],
    ['discovery.k8s.io', 'EndpointSlice'], ['events.k8s.io', 'Event'], ['scheduling.k8s.io', 'PriorityClass'],
    ['node.k8s.io', 'RuntimeClass'], ['certificates.k8s.io', 'CertificateSigningRequest'],
    ['admissionregistration.k8s.io', 'MutatingWebhookConfiguration'], ['admissionregistration.k8s.io', 'ValidatingWebhookConfiguration'],
    ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicy'], ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicyBinding'],
    ['apiextensions.k8s.io', 'CustomResourceDefinition'], ['flowcontrol.apiserver.k8s.io', 'FlowSchema'],
    ['flowcontrol.apiserver.k8s.io', 'PriorityLevelConfiguration'], ['example.com', 'Widget'],
  ];
  for (const [group, kind] of kinds) {
    const printer = printerFor(group, kind);
    // An almost empty object must not throw and must fill every column.
    const cells = printer.cells(obj({ metadata: { name: 'x' } }), now);
    assert.equal(cells.length, printer.columns.length, `${kind}.${group}`);
  }
});

test('deployment mid-rollout', () => {
  const d = obj({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'),
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'fluent-bit:3' }] } },
    },
    status: { replicas: 4, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 2 },
  });
  assert.deepEqual(headers('apps', 'Deployment'), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
  assert.deepEqual(printerFor('apps', 'Deployment').cells(d, now), ['web', '2/3', 1, 2, '5d', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'app=web']);
});

test('replica set, stateful set and daemon set', () => {
  const template = { spec: { containers: [{ name: 'c', image: 'i' }], nodeSelector: { 'kubernetes.io/os': 'linux' } } };
  const selector = { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] };
  const rs = obj({ metadata: meta('web-5d4f'), spec: { replicas: 3, selector, template }, status: { replicas: 3, readyReplicas: 1 } });
  assert.deepEqual(printerFor('apps', 'ReplicaSet').cells(rs, now), ['web-5d4f', 3, 3, 1, '5d', 'c', 'i', 'app=x,tier in (a,b)']);
  const ss = obj({ metadata: meta('db'), spec: { replicas: 3, template }, status: { readyReplicas: 2 } });
  assert.deepEqual(printerFor('apps', 'StatefulSet').cells(ss, now), ['db', '2/3', '5d', 'c', 'i']);
  const ds = obj({ metadata: meta('agent'), spec: { selector, template }, status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 } });
  assert.deepEqual(printerFor('apps', 'DaemonSet').cells(ds, now), ['agent', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '5d', 'c', 'i', 'app=x,tier in (a,b)']);
  const cr = obj({ metadata: meta('db-7c9', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] }), revision: 2 });
  assert.deepEqual(printerFor('apps', 'ControllerRevision').cells(cr, now), ['db-7c9', 'statefulset.apps/db', 2, '5d']);
});

test('services: NodePort, LoadBalancer (pending and provisioned), headless, ExternalName', () => {
  assert.deepEqual(headers('', 'Service'), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
  const p = printerFor('', 'Service');
  const nodePort = obj({ metadata: meta('web'), spec: { type: 'NodePort', clusterIP: '10.96.12.7', clusterIPs: ['10.96.12.7'], selector: { app: 'web' },
    ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }, { port: 53, nodePort: 30053, protocol: 'UDP' }] } });
  assert.deepEqual(p.cells(nodePort, now), ['web', 'NodePort', '10.96.12.7', '<none>', '80:30080/TCP,53:30053/UDP', '5d', 'app=web']);

  const pending = obj({ metadata: meta('edge'), spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.20'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }], selector: { app: 'edge', tier: 'fe' } }, status: { loadBalancer: {} } });
  assert.deepEqual(p.cells(pending, now), ['edge', 'LoadBalancer', '10.96.0.20', '<pending>', '443:31443/TCP', '5d', 'app=edge,tier=fe']);

  const ready = obj({ metadata: meta('edge'), spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.20'], externalIPs: ['198.51.100.7'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { hostname: 'a1b2c3d4e5f6.elb.us-east-1.amazonaws.com' }] } } });
  // The server prints wide, so long load-balancer names are not clipped.
  assert.equal(p.cells(ready, now)[3], '203.0.113.10,a1b2c3d4e5f6.elb.us-east-1.amazonaws.com,198.51.100.7');

  const headless = obj({ metadata: meta('db'), spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }] } });
  assert.deepEqual(p.cells(headless, now), ['db', 'ClusterIP', 'None', '<none>', '5432/TCP', '5d', '<none>']);

  const external = obj({ metadata: meta('search'), spec: { type: 'ExternalName', externalName: 'search.example.com' } });
  assert.deepEqual(p.cells(external, now), ['search', 'ExternalName', '<none>', 'search.example.com', '<none>', '5d', '<none>']);
});

test('endpoints and endpoint slices', () => {
  const ep = obj({ metadata: meta('web'), subsets: [
    { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] },
    { addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] },
  ] });
  assert.deepEqual(printerFor('', 'Endpoints').cells(ep, now), ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...', '5d']);
  assert.equal(printerFor('', 'Endpoints').cells(obj({ metadata: meta('none') }), now)[1], '<none>');
  const headless = obj({ metadata: meta('h'), subsets: [{ addresses: [{ ip: 'fd00::1' }] }] });
  assert.equal(printerFor('', 'Endpoints').cells(headless, now)[1], 'fd00::1');
  const v6 = obj({ metadata: meta('v6'), subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] });
  assert.equal(printerFor('', 'Endpoints').cells(v6, now)[1], '[fd00::1]:80');

  const slice = obj({ metadata: meta('web-abc'), addressType: 'IPv4', ports: [{ port: 80 }, { name: 'metrics' }, {}],
    endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }] });
  assert.deepEqual(printerFor('discovery.k8s.io', 'EndpointSlice').cells(slice, now), ['web-abc', 'IPv4', '80,metrics,*', '10.0.0.1,10.0.0.2', '5d']);
  assert.deepEqual(printerFor('discovery.k8s.io', 'EndpointSlice').cells(obj({ metadata: meta('e'), addressType: 'IPv4' }), now).slice(2, 4), ['<unset>', '<unset>']);
});

test('node with roles, cordoned', () => {
  assert.deepEqual(headers('', 'Node'), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
  const node = obj({
    metadata: meta('cp-1', { creationTimestamp: ago(40 * DAY), labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/etcd': 'true', 'kubernetes.io/role': 'master', 'kubernetes.io/hostname': 'cp-1' } }),
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'Hostname', address: 'cp-1' }, { type: 'InternalIP', address: '192.168.1.10' }],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Ubuntu 24.04 LTS', kernelVersion: '6.8.0-31-generic', containerRuntimeVersion: 'containerd://1.7.22' },
    },
  });
  assert.deepEqual(printerFor('', 'Node').cells(node, now), [
    'cp-1', 'Ready,SchedulingDisabled', 'control-plane,etcd,master', '40d', 'v1.32.0',
    '192.168.1.10', '<none>', 'Ubuntu 24.04 LTS', '6.8.0-31-generic', 'containerd://1.7.22',
  ]);
  const fresh = obj({ metadata: meta('w-2'), status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } });
  assert.deepEqual(printerFor('', 'Node').cells(fresh, now), ['w-2', 'NotReady', '<none>', '5d', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  assert.equal(printerFor('', 'Node').cells(obj({ metadata: meta('n') }), now)[1], 'Unknown');
});

test('events: LAST SEEN / TYPE / REASON / OBJECT / MESSAGE, core and events.k8s.io', () => {
  assert.deepEqual(headers('', 'Event'), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']);
  const ev = obj({
    metadata: meta('web-1.17c'), involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff', type: 'Warning', message: 'Back-off restarting failed container\n', count: 7,
    firstTimestamp: ago(30 * MIN), lastTimestamp: ago(2 * MIN), source: { component: 'kubelet', host: 'worker-1' },
  });
  assert.deepEqual(printerFor('', 'Event').cells(ev, now), [
    '2m', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'kubelet, worker-1', 'Back-off restarting failed container', '30m', 7, 'web-1.17c',
  ]);
  // New-style events: no first/last timestamps, eventTime plus reporting controller, count 1.
  const modern = obj({ metadata: meta('e2'), involvedObject: { kind: 'Node' }, reason: 'Starting', type: 'Normal', message: '',
    eventTime: ago(45_000), reportingComponent: 'kube-proxy', reportingInstance: 'node-1' });
  assert.deepEqual(printerFor('', 'Event').cells(modern, now), ['45s', 'Normal', 'Starting', 'node', '', 'kube-proxy, node-1', '', '45s', 1, 'e2']);

  const v1 = obj({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta('e3'), eventTime: ago(10 * MIN),
    regarding: { kind: 'Deployment', name: 'web' }, reason: 'ScalingReplicaSet', type: 'Normal', note: 'Scaled up replica set web-5d4f to 3',
    reportingController: 'deployment-controller', series: { count: 4, lastObservedTime: ago(MIN) } });
  assert.deepEqual(printerFor('events.k8s.io', 'Event').cells(v1, now), [
    '60s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-5d4f to 3', '10m', 4, 'e3',
  ]);
});

test('jobs and cronjobs', () => {
  assert.deepEqual(headers('batch', 'Job'), ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
  const template = { spec: { containers: [{ name: 'pi', image: 'perl' }] } };
  const selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } };
  const done = obj({ metadata: meta('pi'), spec: { completions: 1, template, selector },
    status: { succeeded: 1, startTime: ago(10 * MIN), completionTime: ago(10 * MIN - 75_000), conditions: [{ type: 'Complete', status: 'True' }] } });
  assert.deepEqual(printerFor('batch', 'Job').cells(done, now), ['pi', 'Complete', '1/1', '75s', '5d', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u1']);
  const running = obj({ metadata: meta('work'), spec: { parallelism: 3, template }, status: { startTime: ago(5 * MIN + 2000), active: 3 } });
  assert.deepEqual(printerFor('batch', 'Job').cells(running, now).slice(1, 4), ['Running', '0/1 of 3', '5m2s']);
  const failed = obj({ metadata: meta('f'), spec: { completions: 4 }, status: { succeeded: 2, failed: 6, conditions: [{ type: 'Failed', status: 'True' }] } });
  assert.deepEqual(printerFor('batch', 'Job').cells(failed, now).slice(1, 4), ['Failed', '2/4', '']);

  const cj = obj({ metadata: meta('nightly'), spec: { schedule: '0 3 * * *', timeZone: 'Etc/UTC', suspend: false, jobTemplate: { spec: { template } } },
    status: { active: [{ name: 'nightly-1' }], lastScheduleTime: ago(9 * 60 * MIN) } });
  assert.deepEqual(printerFor('batch', 'CronJob').cells(cj, now), ['nightly', '0 3 * * *', 'Etc/UTC', 'False', 1, '9h', '5d', 'pi', 'perl', '<none>']);
  const bare = obj({ metadata: meta('b'), spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } });
  assert.deepEqual(printerFor('batch', 'CronJob').cells(bare, now).slice(2, 6), ['<none>', '<unset>', 0, '<none>']);
});

test('horizontal pod autoscalers, v2 and v1', () => {
  const v2 = obj({ apiVersion: 'autoscaling/v2', metadata: meta('web'),
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10, metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
    ] },
    status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '120m' } } }] } });
  assert.deepEqual(printerFor('autoscaling', 'HorizontalPodAutoscaler').cells(v2, now), [
    'web', 'Deployment/web', 'cpu: 45%/80%, memory: <unknown>/500Mi + 1 more...', '2', 10, 3, '5d',
  ]);
  const v1 = obj({ apiVersion: 'autoscaling/v1', metadata: meta('api'),
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, status: { currentReplicas: 1, desiredReplicas: 1 } });
  assert.deepEqual(printerFor('autoscaling', 'HorizontalPodAutoscaler').cells(v1, now), ['api', 'Deployment/api', 'cpu: <unknown>/50%', '<unset>', 5, 1, '5d']);
});

test('storage printers', () => {
  const pv = obj({ metadata: meta('pv-1'), spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain',
    claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'standard', volumeMode: 'Filesystem' }, status: { phase: 'Bound' } });
  assert.deepEqual(printerFor('', 'PersistentVolume').cells(pv, now), ['pv-1', '10Gi', 'RWO', 'Retain', 'Bound', 'default/data', 'standard', '<unset>', '', '5d', 'Filesystem']);
  const pvc = obj({ metadata: meta('data'), spec: { volumeName: 'pv-1', storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } },
    status: { phase: 'Bound', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] } });
  assert.deepEqual(printerFor('', 'PersistentVolumeClaim').cells(pvc, now), ['data', 'Bound', 'pv-1', '10Gi', 'RWO,ROX', 'standard', '<unset>', '5d', '<unset>']);
  const pending = obj({ metadata: meta('new', { annotations: { 'volume.beta.kubernetes.io/storage-class': 'fast' } }), spec: { storageClassName: 'standard' }, status: { phase: 'Pending' } });
  assert.deepEqual(printerFor('', 'PersistentVolumeClaim').cells(pending, now).slice(1, 6), ['Pending', '', '', '', 'fast']);
  const sc = obj({ metadata: meta('standard', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }), provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' });
  assert.deepEqual(printerFor('storage.k8s.io', 'StorageClass').cells(sc, now), ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '5d']);
  const driver = obj({ metadata: meta('csi.example.com'), spec: { volumeLifecycleModes: ['Persistent', 'Ephemeral'], tokenRequests: [{ audience: 'vault' }] } });
  assert.deepEqual(printerFor('storage.k8s.io', 'CSIDriver').cells(driver, now), ['csi.example.com', true, false, false, 'vault', false, 'Persistent,Ephemeral', '5d']);
  const va = obj({ metadata: meta('csi-123'), spec: { attacher: 'csi.example.com', nodeName: 'w1', source: { persistentVolumeName: 'pv-1' } }, status: { attached: true } });
  assert.deepEqual(printerFor('storage.k8s.io', 'VolumeAttachment').cells(va, now), ['csi-123', 'csi.example.com', 'pv-1', 'w1', true, '5d']);
  assert.deepEqual(printerFor('storage.k8s.io', 'CSIStorageCapacity').cells(obj({ metadata: meta('cap'), storageClassName: 'standard' }), now), ['cap', 'standard', '<unset>']);
});

test('core config objects', () => {
  assert.deepEqual(printerFor('', 'Secret').cells(obj({ metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }), now), ['tls', 'kubernetes.io/tls', 2, '5d']);
  assert.deepEqual(printerFor('', 'ConfigMap').cells(obj({ metadata: meta('cfg'), data: { a: '1' }, binaryData: { b: 'AA==' } }), now), ['cfg', 2, '5d']);
  assert.deepEqual(printerFor('', 'ServiceAccount').cells(obj({ metadata: meta('default') }), now), ['default', 0, '5d']);
  assert.deepEqual(printerFor('', 'Namespace').cells(obj({ metadata: meta('kube-system'), status: { phase: 'Active' } }), now), ['kube-system', 'Active', '5d']);
  const rq = obj({ metadata: meta('quota'), status: { hard: { 'limits.cpu': '4', pods: '10', 'requests.cpu': '2', 'limits.memory': '8Gi' }, used: { pods: '3', 'requests.cpu': '500m' } } });
  assert.deepEqual(printerFor('', 'ResourceQuota').cells(rq, now), ['quota', 'pods: 3/10, requests.cpu: 500m/2', 'limits.cpu: 0/4, limits.memory: 0/8Gi', '5d']);
  const cs = obj({ metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] });
  assert.deepEqual(printerFor('', 'ComponentStatus').cells(cs, now), ['etcd-0', 'Healthy', 'ok', '']);
  const pt = obj({ metadata: meta('t'), template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'a', image: 'b' }] } } });
  assert.deepEqual(printerFor('', 'PodTemplate').cells(pt, now), ['t', 'a', 'b', 'app=x']);
  const rc = obj({ metadata: meta('rc'), spec: { replicas: 2, selector: { app: 'x' }, template: { spec: { containers: [{ name: 'a', image: 'b' }] } } }, status: { replicas: 2, readyReplicas: 2 } });
  assert.deepEqual(printerFor('', 'ReplicationController').cells(rc, now), ['rc', 2, 2, 2, '5d', 'a', 'b', 'app=x']);
});

test('networking, rbac and cluster-level printers', () => {
  const ing = obj({ metadata: meta('web'), spec: { ingressClassName: 'nginx', tls: [{ hosts: ['a.example.com'] }],
    rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }, {}, { host: 'd.example.com' }, { host: 'e.example.com' }] },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }] } } });
  assert.deepEqual(printerFor('networking.k8s.io', 'Ingress').cells(ing, now), ['web', 'nginx', 'a.example.com,b.example.com,d.example.com + 2 more...', '203.0.113.5', '80, 443', '5d']);
  assert.deepEqual(printerFor('networking.k8s.io', 'Ingress').cells(obj({ metadata: meta('x'), spec: {} }), now), ['x', '<none>', '*', '', '80', '5d']);
  const ic = obj({ metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p' } } });
  assert.deepEqual(printerFor('networking.k8s.io', 'IngressClass').cells(ic, now), ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/p', '5d']);
  assert.deepEqual(printerFor('networking.k8s.io', 'NetworkPolicy').cells(obj({ metadata: meta('deny'), spec: { podSelector: {} } }), now), ['deny', '<none>', '5d']);

  const rb = obj({ metadata: meta('admins'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
    subjects: [{ kind: 'User', name: 'alice' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'ops' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'build' }] });
  assert.deepEqual(headers('rbac.authorization.k8s.io', 'RoleBinding'), ['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
  assert.deepEqual(printerFor('rbac.authorization.k8s.io', 'RoleBinding').cells(rb, now), ['admins', 'ClusterRole/admin', '5d', 'alice, bob', 'ops', 'build:ci']);
  assert.deepEqual(headers('rbac.authorization.k8s.io', 'ClusterRole'), ['NAME', 'CREATED AT']);
  assert.deepEqual(printerFor('rbac.authorization.k8s.io', 'ClusterRole').cells(obj({ metadata: { name: 'view', creationTimestamp: '2024-04-01T08:00:00Z' } }), now), ['view', '2024-04-01T08:00:00Z']);

  const pdb = obj({ metadata: meta('web'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } });
  assert.deepEqual(printerFor('policy', 'PodDisruptionBudget').cells(pdb, now), ['web', '50%', 'N/A', 1, '5d']);
  const csr = obj({ metadata: meta('csr-1'), spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'alice', expirationSeconds: 86400 },
    status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' } });
  assert.deepEqual(printerFor('certificates.k8s.io', 'CertificateSigningRequest').cells(csr, now), ['csr-1', '5d', 'kubernetes.io/kube-apiserver-client', 'alice', '24h', 'Approved,Issued']);
  assert.deepEqual(printerFor('coordination.k8s.io', 'Lease').cells(obj({ metadata: meta('kube-scheduler'), spec: { holderIdentity: 'cp-1_abc' } }), now), ['kube-scheduler', 'cp-1_abc', '5d']);
  assert.deepEqual(printerFor('scheduling.k8s.io', 'PriorityClass').cells(obj({ metadata: meta('system-node-critical'), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }), now),
    ['system-node-critical', 2000001000, false, '5d', 'PreemptLowerPriority']);
  assert.deepEqual(printerFor('node.k8s.io', 'RuntimeClass').cells(obj({ metadata: meta('gvisor'), handler: 'runsc' }), now), ['gvisor', 'runsc', '5d']);

  const wh = obj({ metadata: meta('hooks'), webhooks: [{ name: 'a' }, { name: 'b' }] });
  assert.deepEqual(printerFor('admissionregistration.k8s.io', 'MutatingWebhookConfiguration').cells(wh, now), ['hooks', 2, '5d']);
  const vap = obj({ metadata: meta('limit'), spec: { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'true' }] } });
  assert.deepEqual(printerFor('admissionregistration.k8s.io', 'ValidatingAdmissionPolicy').cells(vap, now), ['limit', 1, 'v1/ConfigMap', '5d']);
  const vapb = obj({ metadata: meta('limit-b'), spec: { policyName: 'limit', paramRef: { name: 'cfg' } } });
  assert.deepEqual(printerFor('admissionregistration.k8s.io', 'ValidatingAdmissionPolicyBinding').cells(vapb, now), ['limit-b', 'limit', '*/cfg', '5d']);

  const pl = obj({ metadata: meta('workload-low'), spec: { type: 'Limited', limited: { nominalConcurrencyShares: 100, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } } } });
  assert.deepEqual(printerFor('flowcontrol.apiserver.k8s.io', 'PriorityLevelConfiguration').cells(pl, now), ['workload-low', 'Limited', 100, 128, 6, 50, '5d']);
  const exempt = obj({ metadata: meta('exempt'), spec: { type: 'Exempt' } });
  assert.deepEqual(printerFor('flowcontrol.apiserver.k8s.io', 'PriorityLevelConfiguration').cells(exempt, now).slice(1, 6), ['Exempt', '<none>', '<none>', '<none>', '<none>']);
  const fs = obj({ metadata: meta('service-accounts'), spec: { priorityLevelConfiguration: { name: 'workload-low' }, matchingPrecedence: 9000, distinguisherMethod: { type: 'ByUser' } },
    status: { conditions: [{ type: 'Dangling', status: 'False' }] } });
  assert.deepEqual(printerFor('flowcontrol.apiserver.k8s.io', 'FlowSchema').cells(fs, now), ['service-accounts', 'workload-low', 9000, 'ByUser', '5d', 'False']);
});
