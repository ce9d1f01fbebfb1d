// Every-kind e2e cases: flowcontrol, networking, node, rbac, scheduling and storage.
import assert from 'node:assert/strict';
import { NS, header, AGE, CREATED_AT, row, type KindCase } from './cases.js';

export const clusterCases: KindCase[] = [
  // ---- flowcontrol.apiserver.k8s.io/v1 ----
  {
    resource: 'prioritylevelconfigurations',
    name: 'batch-work',
    shown: 'prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/batch-work',
    manifest: 'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata: {name: batch-work}\nspec:\n  type: Limited\n  limited:\n    limitResponse: {type: Queue, queuing: {}}\n',
    changed:
      'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata: {name: batch-work}\nspec:\n  type: Limited\n  limited:\n    nominalConcurrencyShares: 10\n    limitResponse: {type: Queue, queuing: {}}\n',
    header: header('NAME', 'TYPE', 'NOMINALCONCURRENCYSHARES', 'QUEUES', 'HANDSIZE', 'QUEUELENGTHLIMIT', 'AGE'),
    row: row('batch-work', 'Limited', '30', '64', '8', '50', AGE),
    defaults: (plc) => {
      assert.equal(plc.spec.limited.nominalConcurrencyShares, 30);
      assert.equal(plc.spec.limited.lendablePercent, 0);
      assert.deepEqual(plc.spec.limited.limitResponse.queuing, { handSize: 8, queueLengthLimit: 50, queues: 64 });
    },
    updated: (plc) => assert.equal(plc.spec.limited.nominalConcurrencyShares, 10),
  },
  {
    resource: 'flowschemas',
    name: 'batch-users',
    shown: 'flowschema.flowcontrol.apiserver.k8s.io/batch-users',
    manifest: `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: batch-users}
spec:
  priorityLevelConfiguration: {name: batch-work}
  distinguisherMethod: {type: ByUser}
  rules:
  - subjects: [{kind: Group, group: {name: batch}}]
    resourceRules: [{verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"]}]
`,
    changed: `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: batch-users}
spec:
  priorityLevelConfiguration: {name: batch-work}
  matchingPrecedence: 500
  distinguisherMethod: {type: ByUser}
  rules:
  - subjects: [{kind: Group, group: {name: batch}}]
    resourceRules: [{verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"]}]
`,
    header: header('NAME', 'PRIORITYLEVEL', 'MATCHINGPRECEDENCE', 'DISTINGUISHERMETHOD', 'AGE', 'MISSINGPL'),
    row: row('batch-users', 'batch-work', '1000', 'ByUser', AGE, /\?|False/),
    defaults: (fs) => assert.equal(fs.spec.matchingPrecedence, 1000),
    updated: (fs) => assert.equal(fs.spec.matchingPrecedence, 500),
  },
  // ---- networking.k8s.io/v1, node.k8s.io/v1 ----
  {
    resource: 'ingressclasses',
    name: 'nginx',
    shown: 'ingressclass.networking.k8s.io/nginx',
    manifest: 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n',
    changed: 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx, labels: {default: "no"}}\nspec: {controller: k8s.io/ingress-nginx}\n',
    header: header('NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'),
    row: row('nginx', 'k8s.io/ingress-nginx', '<none>', AGE),
    defaults: (ic) => assert.equal(ic.spec.controller, 'k8s.io/ingress-nginx'),
    updated: (ic) => assert.equal(ic.metadata.labels.default, 'no'),
  },
  {
    resource: 'ingresses',
    name: 'web',
    shown: 'ingress.networking.k8s.io/web',
    manifest: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`,
    changed: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  rules:
  - host: www.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`,
    header: header('NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'),
    row: row('web', 'nginx', 'web.example.com', '80', AGE),
    defaults: (ing) => {
      assert.equal(ing.spec.rules[0].http.paths[0].pathType, 'Prefix');
      assert.deepEqual(ing.status, { loadBalancer: {} });
    },
    updated: (ing) => assert.equal(ing.spec.rules[0].host, 'www.example.com'),
  },
  {
    resource: 'networkpolicies',
    name: 'web-ingress',
    shown: 'networkpolicy.networking.k8s.io/web-ingress',
    manifest: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: 80}]
`,
    changed: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: 8080}]
`,
    header: header('NAME', 'POD-SELECTOR', 'AGE'),
    row: row('web-ingress', 'app=web', AGE),
    defaults: (np) => {
      assert.deepEqual(np.spec.policyTypes, ['Ingress']);
      assert.deepEqual(np.spec.ingress[0].ports[0], { port: 80, protocol: 'TCP' });
    },
    updated: (np) => assert.equal(np.spec.ingress[0].ports[0].port, 8080),
  },
  {
    resource: 'runtimeclasses',
    name: 'gvisor',
    shown: 'runtimeclass.node.k8s.io/gvisor',
    manifest: 'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: gvisor}\nhandler: runsc\n',
    changed: 'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: gvisor}\nhandler: runsc\noverhead: {podFixed: {memory: 64Mi}}\n',
    header: header('NAME', 'HANDLER', 'AGE'),
    row: row('gvisor', 'runsc', AGE),
    defaults: (rc) => assert.equal(rc.handler, 'runsc'),
    updated: (rc) => assert.deepEqual(rc.overhead, { podFixed: { memory: '64Mi' } }),
  },
  // ---- rbac.authorization.k8s.io/v1 ----
  {
    resource: 'clusterroles',
    name: 'pod-reader',
    shown: 'clusterrole.rbac.authorization.k8s.io/pod-reader',
    manifest: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: pod-reader}\nrules:\n- {apiGroups: [""], resources: [pods], verbs: [get, list]}\n',
    changed: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: pod-reader}\nrules:\n- {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}\n',
    header: header('NAME', 'CREATED AT'),
    row: row('pod-reader', CREATED_AT),
    defaults: (role) => assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]),
    updated: (role) => assert.deepEqual(role.rules[0].verbs, ['get', 'list', 'watch']),
  },
  {
    resource: 'clusterrolebindings',
    name: 'read-pods',
    shown: 'clusterrolebinding.rbac.authorization.k8s.io/read-pods',
    manifest: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: read-pods}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}\nsubjects:\n- {kind: User, name: alice}\n`,
    changed: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: read-pods}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}\nsubjects:\n- {kind: User, name: alice}\n- {kind: ServiceAccount, name: robot, namespace: ${NS}}\n`,
    header: header('NAME', 'ROLE', 'AGE'),
    row: row('read-pods', 'ClusterRole/pod-reader', AGE),
    defaults: (binding) => assert.deepEqual(binding.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }]),
    updated: (binding) => assert.deepEqual(binding.subjects[1], { kind: 'ServiceAccount', name: 'robot', namespace: NS }),
  },
  {
    resource: 'roles',
    name: 'cm-editor',
    shown: 'role.rbac.authorization.k8s.io/cm-editor',
    manifest: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: cm-editor}\nrules:\n- {apiGroups: [""], resources: [configmaps], verbs: [get, update]}\n',
    changed: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: cm-editor}\nrules:\n- {apiGroups: [""], resources: [configmaps], verbs: ["*"]}\n',
    header: header('NAME', 'CREATED AT'),
    row: row('cm-editor', CREATED_AT),
    defaults: (role) => assert.equal(role.rules.length, 1),
    updated: (role) => assert.deepEqual(role.rules[0].verbs, ['*']),
  },
  {
    resource: 'rolebindings',
    name: 'edit-cms',
    shown: 'rolebinding.rbac.authorization.k8s.io/edit-cms',
    manifest: `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: edit-cms}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-editor}\nsubjects:\n- {kind: ServiceAccount, name: robot}\n`,
    changed: `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: edit-cms}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-editor}\nsubjects:\n- {kind: ServiceAccount, name: robot}\n- {kind: Group, name: devs}\n`,
    header: header('NAME', 'ROLE', 'AGE'),
    row: row('edit-cms', 'Role/cm-editor', AGE),
    defaults: (binding) => assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'robot' }]),
    updated: (binding) => assert.deepEqual(binding.subjects[1], { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' }),
  },
  // ---- scheduling.k8s.io/v1 ----
  {
    resource: 'priorityclasses',
    name: 'high',
    shown: 'priorityclass.scheduling.k8s.io/high',
    manifest: 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n',
    changed: 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\ndescription: important work\n',
    header: header('NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'),
    row: row('high', '1000', 'false', AGE, 'PreemptLowerPriority'),
    defaults: (pc) => assert.equal(pc.preemptionPolicy, 'PreemptLowerPriority'),
    updated: (pc) => assert.equal(pc.description, 'important work'),
  },
  // ---- storage.k8s.io/v1 ----
  {
    resource: 'csidrivers',
    name: 'csi.example.com',
    shown: 'csidriver.storage.k8s.io/csi.example.com',
    manifest: 'apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: csi.example.com}\nspec: {}\n',
    changed: 'apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: csi.example.com, labels: {vendor: example}}\nspec: {}\n',
    header: header('NAME', 'ATTACHREQUIRED', 'PODINFOONMOUNT', 'STORAGECAPACITY', 'TOKENREQUESTS', 'REQUIRESREPUBLISH', 'MODES', 'AGE'),
    row: row('csi.example.com', 'true', 'false', 'false', '<unset>', 'false', 'Persistent', AGE),
    defaults: (driver) => {
      assert.equal(driver.spec.attachRequired, true);
      assert.equal(driver.spec.podInfoOnMount, false);
      assert.equal(driver.spec.storageCapacity, false);
      assert.equal(driver.spec.requiresRepublish, false);
      assert.equal(driver.spec.fsGroupPolicy, 'ReadWriteOnceWithFSType');
      assert.deepEqual(driver.spec.volumeLifecycleModes, ['Persistent']);
    },
    updated: (driver) => assert.equal(driver.metadata.labels.vendor, 'example'),
  },
  {
    resource: 'csinodes',
    name: 'node-1',
    shown: 'csinode.storage.k8s.io/node-1',
    manifest: 'apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: node-1}\nspec:\n  drivers:\n  - {name: csi.example.com, nodeID: node-1}\n',
    changed: 'apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: node-1, labels: {zone: a}}\nspec:\n  drivers:\n  - {name: csi.example.com, nodeID: node-1}\n',
    header: header('NAME', 'DRIVERS', 'AGE'),
    row: row('node-1', '1', AGE),
    defaults: (node) => assert.equal(node.spec.drivers[0].nodeID, 'node-1'),
    updated: (node) => assert.equal(node.metadata.labels.zone, 'a'),
  },
  {
    resource: 'csistoragecapacities',
    name: 'fast-zone-a',
    shown: 'csistoragecapacity.storage.k8s.io/fast-zone-a',
    manifest: 'apiVersion: storage.k8s.io/v1\nkind: CSIStorageCapacity\nmetadata: {name: fast-zone-a}\nstorageClassName: fast\ncapacity: 10Gi\n',
    changed: 'apiVersion: storage.k8s.io/v1\nkind: CSIStorageCapacity\nmetadata: {name: fast-zone-a}\nstorageClassName: fast\ncapacity: 20Gi\n',
    header: header('NAME', 'STORAGECLASSNAME', 'CAPACITY'),
    row: row('fast-zone-a', 'fast', '10Gi'),
    defaults: (capacity) => assert.equal(capacity.capacity, '10Gi'),
    updated: (capacity) => assert.equal(capacity.capacity, '20Gi'),
  },
  {
    resource: 'storageclasses',
    name: 'fast',
    shown: 'storageclass.storage.k8s.io/fast',
    manifest: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\nprovisioner: csi.example.com\n',
    changed: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast, labels: {tier: ssd}}\nprovisioner: csi.example.com\n',
    header: header('NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'),
    row: row('fast', 'csi.example.com', 'Delete', 'Immediate', 'false', AGE),
    defaults: (sc) => {
      assert.equal(sc.reclaimPolicy, 'Delete');
      assert.equal(sc.volumeBindingMode, 'Immediate');
    },
    updated: (sc) => assert.equal(sc.metadata.labels.tier, 'ssd'),
  },
  {
    resource: 'volumeattachments',
    name: 'attach-pv1',
    shown: 'volumeattachment.storage.k8s.io/attach-pv1',
    manifest: 'apiVersion: storage.k8s.io/v1\nkind: VolumeAttachment\nmetadata: {name: attach-pv1}\nspec:\n  attacher: csi.example.com\n  nodeName: node-1\n  source: {persistentVolumeName: pv1}\n',
    changed: 'apiVersion: storage.k8s.io/v1\nkind: VolumeAttachment\nmetadata: {name: attach-pv1, labels: {node: node-1}}\nspec:\n  attacher: csi.example.com\n  nodeName: node-1\n  source: {persistentVolumeName: pv1}\n',
    header: header('NAME', 'ATTACHER', 'PV', 'NODE', 'ATTACHED', 'AGE'),
    row: row('attach-pv1', 'csi.example.com', 'pv1', 'node-1', 'false', AGE),
    defaults: (va) => assert.deepEqual(va.status, { attached: false }),
    updated: (va) => assert.equal(va.metadata.labels.node, 'node-1'),
  },
];
