// Every-kind e2e cases: core/v1.
import assert from 'node:assert/strict';
import { NS, type Obj, header, AGE, CREATED_AT, row, podSpec, assertPodSpecDefaults, type KindCase } from './cases.js';

export const coreCases: KindCase[] = [
  {
    resource: 'configmaps',
    name: 'settings',
    shown: 'configmap/settings',
    manifest: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n',
    changed: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: slow, level: "3"}\n',
    header: header('NAME', 'DATA', 'AGE'),
    row: row('settings', '1', AGE),
    defaults: (cm) => assert.deepEqual(cm.data, { mode: 'fast' }),
    updated: (cm) => assert.deepEqual(cm.data, { mode: 'slow', level: '3' }),
  },
  {
    resource: 'secrets',
    name: 'creds',
    shown: 'secret/creds',
    manifest: 'apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {user: admin}\n',
    changed: 'apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {user: root}\n',
    header: header('NAME', 'TYPE', 'DATA', 'AGE'),
    row: row('creds', 'Opaque', '1', AGE),
    defaults: (secret) => {
      assert.equal(secret.type, 'Opaque');
      assert.deepEqual(secret.data, { user: 'YWRtaW4=' });
      assert.equal(secret.stringData, undefined, 'stringData is folded into data');
    },
    updated: (secret) => assert.equal(secret.data.user, 'cm9vdA=='),
  },
  {
    resource: 'endpoints',
    name: 'backend',
    shown: 'endpoints/backend',
    manifest: 'apiVersion: v1\nkind: Endpoints\nmetadata: {name: backend}\nsubsets:\n- addresses: [{ip: 10.0.0.5}]\n  ports: [{port: 8080}]\n',
    changed: 'apiVersion: v1\nkind: Endpoints\nmetadata: {name: backend}\nsubsets:\n- addresses: [{ip: 10.0.0.6}]\n  ports: [{port: 8080}]\n',
    header: header('NAME', 'ENDPOINTS', 'AGE'),
    row: row('backend', '10.0.0.5:8080', AGE),
    defaults: (ep) => assert.equal(ep.subsets[0].ports[0].protocol, 'TCP'),
    updated: (ep) => assert.equal(ep.subsets[0].addresses[0].ip, '10.0.0.6'),
  },
  {
    resource: 'events',
    name: 'web-1.started',
    shown: 'event/web-1.started',
    manifest: `apiVersion: v1
kind: Event
metadata: {name: web-1.started}
involvedObject: {kind: Pod, name: web-1, namespace: ${NS}}
reason: Started
message: Started container app
type: Normal
source: {component: kubelet}
firstTimestamp: "2024-01-01T00:00:00Z"
lastTimestamp: "2024-01-01T00:00:00Z"
count: 1
`,
    changed: `apiVersion: v1
kind: Event
metadata: {name: web-1.started}
involvedObject: {kind: Pod, name: web-1, namespace: ${NS}}
reason: Started
message: Started container app again
type: Normal
source: {component: kubelet}
firstTimestamp: "2024-01-01T00:00:00Z"
lastTimestamp: "2024-01-01T00:00:00Z"
count: 2
`,
    header: header('LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'),
    row: row(/(\d+y)?\d+d/, 'Normal', 'Started', 'pod/web-1', 'Started container app'),
    defaults: (ev) => {
      assert.equal(ev.count, 1);
      assert.equal(ev.source.component, 'kubelet');
      assert.equal(ev.eventTime, null, 'a legacy event has eventTime null');
    },
    updated: (ev) => assert.equal(ev.count, 2),
  },
  {
    resource: 'limitranges',
    name: 'limits',
    shown: 'limitrange/limits',
    manifest: 'apiVersion: v1\nkind: LimitRange\nmetadata: {name: limits}\nspec:\n  limits:\n  - type: Container\n    max: {cpu: "1"}\n',
    changed: 'apiVersion: v1\nkind: LimitRange\nmetadata: {name: limits}\nspec:\n  limits:\n  - type: Container\n    max: {cpu: "2"}\n',
    header: header('NAME', 'CREATED AT'),
    row: row('limits', CREATED_AT),
    defaults: (lr) => {
      // A Container limit with only max gets default (the limit) and defaultRequest from it.
      assert.deepEqual(lr.spec.limits[0].default, { cpu: '1' });
      assert.deepEqual(lr.spec.limits[0].defaultRequest, { cpu: '1' });
    },
    updated: (lr) => assert.deepEqual(lr.spec.limits[0].max, { cpu: '2' }),
  },
  {
    resource: 'namespaces',
    name: 'team-a',
    shown: 'namespace/team-a',
    manifest: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n',
    changed: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: {team: a}}\n',
    header: header('NAME', 'STATUS', 'AGE'),
    row: row('team-a', 'Active', AGE),
    defaults: (ns) => {
      assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
      assert.equal(ns.status.phase, 'Active');
      assert.equal(ns.metadata.labels['kubernetes.io/metadata.name'], 'team-a');
    },
    updated: (ns) => assert.equal(ns.metadata.labels.team, 'a'),
  },
  {
    resource: 'nodes',
    name: 'node-1',
    shown: 'node/node-1',
    manifest: 'apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n  labels: {node-role.kubernetes.io/worker: ""}\nspec: {podCIDR: 10.244.1.0/24}\n',
    changed: 'apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n  labels: {node-role.kubernetes.io/worker: ""}\nspec: {podCIDR: 10.244.1.0/24, unschedulable: true}\n',
    header: header('NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'),
    // No kubelet reports a Ready condition, so the status is Unknown and the version empty.
    row: row('node-1', 'Unknown', 'worker', AGE),
    defaults: (node) => {
      assert.equal(node.spec.podCIDR, '10.244.1.0/24');
      assert.deepEqual(node.spec.podCIDRs, ['10.244.1.0/24'], 'podCIDRs is defaulted from podCIDR');
    },
    updated: (node) => assert.equal(node.spec.unschedulable, true),
  },
  {
    resource: 'persistentvolumeclaims',
    name: 'data',
    shown: 'persistentvolumeclaim/data',
    manifest:
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: standard\n  resources: {requests: {storage: 1Gi}}\n',
    changed:
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, labels: {tier: db}}\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: standard\n  resources: {requests: {storage: 1Gi}}\n',
    header: header('NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'),
    row: row('data', 'Pending', 'standard', '<unset>', AGE),
    defaults: (pvc) => {
      assert.equal(pvc.spec.volumeMode, 'Filesystem');
      assert.equal(pvc.status.phase, 'Pending');
    },
    updated: (pvc) => assert.equal(pvc.metadata.labels.tier, 'db'),
  },
  {
    resource: 'persistentvolumes',
    name: 'pv1',
    shown: 'persistentvolume/pv1',
    manifest:
      'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv1}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /tmp/pv1}\n',
    changed:
      'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv1}\nspec:\n  capacity: {storage: 2Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /tmp/pv1}\n',
    header: header('NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'),
    // Created Pending; the PersistentVolume binder makes it Available within moments.
    row: row('pv1', '1Gi', 'RWO', 'Retain', /(Pending|Available)/, '<unset>', AGE),
    defaults: (pv) => {
      assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain');
      assert.equal(pv.spec.volumeMode, 'Filesystem');
      assert.equal(pv.spec.hostPath.type, '');
      assert.match(pv.status.phase, /^(Pending|Available)$/);
    },
    updated: (pv) => assert.equal(pv.spec.capacity.storage, '2Gi'),
  },
  {
    resource: 'pods',
    name: 'web-1',
    shown: 'pod/web-1',
    manifest: `apiVersion: v1\nkind: Pod\nmetadata: {name: web-1, labels: {app: web}}\nspec:\n${podSpec('nginx:1.25', '  ')}\n`,
    changed: `apiVersion: v1\nkind: Pod\nmetadata: {name: web-1, labels: {app: web}}\nspec:\n${podSpec('nginx:1.26', '  ')}\n`,
    header: header('NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'),
    row: row('web-1', '0/1', 'Pending', '0', AGE),
    defaults: (pod) => {
      assertPodSpecDefaults(pod.spec);
      assert.equal(pod.spec.enableServiceLinks, true);
      assert.equal(pod.spec.priority, 0);
      assert.equal(pod.spec.preemptionPolicy, 'PreemptLowerPriority');
      assert.equal(pod.spec.serviceAccountName, 'default');
      assert.deepEqual(
        pod.spec.tolerations.map((t: Obj) => `${t.key}:${t.effect}:${t.tolerationSeconds}`),
        ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:300'],
      );
      assert.equal(pod.status.phase, 'Pending');
      assert.equal(pod.status.qosClass, 'BestEffort');
    },
    updated: (pod) => assert.equal(pod.spec.containers[0].image, 'nginx:1.26'),
  },
  {
    resource: 'podtemplates',
    name: 'tmpl',
    shown: 'podtemplate/tmpl',
    manifest: `apiVersion: v1\nkind: PodTemplate\nmetadata: {name: tmpl}\ntemplate:\n  metadata: {labels: {app: tmpl}}\n  spec:\n${podSpec('nginx:1.25', '    ')}\n`,
    changed: `apiVersion: v1\nkind: PodTemplate\nmetadata: {name: tmpl}\ntemplate:\n  metadata: {labels: {app: tmpl}}\n  spec:\n${podSpec('nginx:1.26', '    ')}\n`,
    header: header('NAME', 'CONTAINERS', 'IMAGES', 'POD LABELS'),
    row: row('tmpl', 'app', 'nginx:1.25', 'app=tmpl'),
    defaults: (pt) => assertPodSpecDefaults(pt.template.spec),
    updated: (pt) => assert.equal(pt.template.spec.containers[0].image, 'nginx:1.26'),
  },
  {
    resource: 'replicationcontrollers',
    name: 'legacy',
    shown: 'replicationcontroller/legacy',
    manifest: `apiVersion: v1\nkind: ReplicationController\nmetadata: {name: legacy}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: {app: legacy}}\n    spec:\n${podSpec('nginx:1.25', '      ')}\n`,
    changed: `apiVersion: v1\nkind: ReplicationController\nmetadata: {name: legacy}\nspec:\n  replicas: 3\n  template:\n    metadata: {labels: {app: legacy}}\n    spec:\n${podSpec('nginx:1.25', '      ')}\n`,
    header: header('NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'),
    // CURRENT: the replication controller creates the (unscheduled) pods at once.
    row: row('legacy', '2', /[0-2]/, '0', AGE),
    defaults: (rc) => {
      assert.deepEqual(rc.spec.selector, { app: 'legacy' }, 'the selector defaults to the template labels');
      assert.deepEqual(rc.metadata.labels, { app: 'legacy' }, 'so do the labels');
      assert.ok([0, 2].includes(rc.status.replicas), 'status starts at zero replicas, then counts the created pods');
      assertPodSpecDefaults(rc.spec.template.spec);
    },
    updated: (rc) => assert.equal(rc.spec.replicas, 3),
  },
  {
    resource: 'resourcequotas',
    name: 'quota1',
    shown: 'resourcequota/quota1',
    manifest: 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: quota1}\nspec:\n  hard: {pods: "10"}\n',
    changed: 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: quota1}\nspec:\n  hard: {pods: "20"}\n',
    header: header('NAME', 'REQUEST', 'LIMIT', 'AGE'),
    // REQUEST/LIMIT list status.hard, which only the quota controller fills.
    row: row('quota1', /(pods: 0\/10\s+)?/, AGE),
    defaults: (quota) => assert.deepEqual(quota.spec.hard, { pods: '10' }),
    updated: (quota) => assert.deepEqual(quota.spec.hard, { pods: '20' }),
  },
  {
    resource: 'serviceaccounts',
    name: 'robot',
    shown: 'serviceaccount/robot',
    manifest: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n',
    changed: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\nautomountServiceAccountToken: false\n',
    header: header('NAME', 'SECRETS', 'AGE'),
    row: row('robot', '0', AGE),
    defaults: (sa) => assert.equal(sa.automountServiceAccountToken, undefined),
    updated: (sa) => assert.equal(sa.automountServiceAccountToken, false),
  },
  {
    resource: 'services',
    name: 'web',
    shown: 'service/web',
    manifest: 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80}]\n',
    changed: 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80}, {name: https, port: 443, targetPort: 8443}]\n',
    header: header('NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'),
    row: row('web', 'ClusterIP', /10\.\d+\.\d+\.\d+/, '<none>', '80/TCP', AGE),
    defaults: (svc) => {
      assert.equal(svc.spec.type, 'ClusterIP');
      assert.equal(svc.spec.sessionAffinity, 'None');
      assert.deepEqual(svc.spec.ipFamilies, ['IPv4']);
      assert.equal(svc.spec.ipFamilyPolicy, 'SingleStack');
      assert.equal(svc.spec.internalTrafficPolicy, 'Cluster');
      assert.deepEqual(svc.spec.clusterIPs, [svc.spec.clusterIP]);
      assert.deepEqual(svc.spec.ports[0], { name: 'http', port: 80, protocol: 'TCP', targetPort: 80 });
      assert.deepEqual(svc.status, { loadBalancer: {} });
    },
    updated: (svc) => assert.deepEqual(svc.spec.ports[1], { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 }),
  },
];
