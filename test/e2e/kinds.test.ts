// Every kind the server serves, driven by the real kubectl 1.32 the way a user would: apply a
// minimal realistic manifest, read it back as a table (upstream's columns), as YAML (upstream's
// defaults), describe it, apply a change, delete it. Then the kubectl commands that go beyond
// plain CRUD: typed `create` subcommands (protobuf bodies), run, scale, events in both API
// versions, HPA in both versions, selectors, pagination and the output formats.
//
// One cluster for the whole file; every namespaced object lives in the "kinds" namespace.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
const NS = 'kinds';

before(async () => {
  cluster = await startCluster();
  await cluster.ok(['create', 'namespace', NS]);
});
after(async () => {
  await cluster?.destroy();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** The header line of a table: the column titles separated by runs of blanks. */
const header = (...titles: string[]): RegExp => new RegExp(`^${titles.map(escape).join('\\s+')}$`, 'm');
/** AGE cells, RFC 3339 CREATED AT cells, and any cell given as a RegExp are matched as patterns. */
const AGE = /\d+s/;
const CREATED_AT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/;
/** One table row: the cells separated by runs of blanks (empty cells are simply left out). */
const row = (...cells: (string | RegExp)[]): RegExp =>
  new RegExp(`^${cells.map((cell) => (typeof cell === 'string' ? escape(cell) : cell.source)).join('\\s+')}[ \\t]*$`, 'm');

interface KindCase {
  /** The resource as typed on the command line (plural, with the group where ambiguous). */
  resource: string;
  name: string;
  /** How kubectl names the object in its messages, e.g. "deployment.apps/web". */
  shown: string;
  manifest: string;
  /** The same object with one visible change, for the "configured" apply. */
  changed: string;
  header: RegExp;
  row: RegExp;
  /** Asserts upstream's defaults on the object as read back with -o yaml. */
  defaults: (obj: Obj) => void;
  /** Asserts the change of `changed` was stored. */
  updated: (obj: Obj) => void;
}

const podSpec = (image: string, indent: string): string =>
  ['containers:', '- name: app', `  image: ${image}`].map((line) => indent + line).join('\n');

/** Defaults upstream fills into every pod template / pod spec. */
function assertPodSpecDefaults(spec: Obj): void {
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(spec.securityContext, {});
  const container = spec.containers[0];
  assert.equal(container.terminationMessagePath, '/dev/termination-log');
  assert.equal(container.terminationMessagePolicy, 'File');
  assert.equal(container.imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(container.resources, {});
}

const CSR_REQUEST =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIYU1JR0FBZ0VBTUI0eERqQU1CZ05WQkFNTUJXRnNhV05sTVF3d0NnWURWUVFLREFOa1pYWXdXVEFUQmdjcQpoa2pPUFFJQkJnZ3Foa2pPUFFNQkJ3TkNBQVNpaXNYanYyMGFQY1cyZk1NL0RhTWZEZXlsemZ6TWptQVFDQTFhCkduUitybjQvOUV6dUV0dy9rNVFyZjNWVGdEa1ROL1VOZUdWaEh0RWp5VVErY3FTQm9BQXdDZ1lJS29aSXpqMEUKQXdJRFNRQXdSZ0loQUlDNVJXK0pmWUdSYVEwWW4vNGZjcDR2YXRVVnVjRkpJMnZzL0JidFJwOXpBaUVBcGhaSgppSklRRzZvRnA0cUx5SzZ2clBlc3prUUVQVlBmbEloZTNKNGtaZUU9Ci0tLS0tRU5EIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQo=';

const webhook = (name: string, extra: string): string => `- name: ${name}
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig:
    service: {namespace: ${NS}, name: hooks, path: /check}
  rules:
  - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
${extra}`;

function assertWebhookDefaults(hook: Obj): void {
  assert.equal(hook.failurePolicy, 'Fail');
  assert.equal(hook.matchPolicy, 'Equivalent');
  assert.deepEqual(hook.namespaceSelector, {});
  assert.deepEqual(hook.objectSelector, {});
  assert.equal(hook.timeoutSeconds, 10);
  assert.equal(hook.clientConfig.service.port, 443);
  assert.equal(hook.rules[0].scope, '*');
}

const cases: KindCase[] = [
  // ---- core/v1 ----
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
    row: row('pv1', '1Gi', 'RWO', 'Retain', 'Pending', '<unset>', AGE),
    defaults: (pv) => {
      assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain');
      assert.equal(pv.spec.volumeMode, 'Filesystem');
      assert.equal(pv.spec.hostPath.type, '');
      assert.equal(pv.status.phase, 'Pending');
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
    row: row('legacy', '2', '0', '0', AGE),
    defaults: (rc) => {
      assert.deepEqual(rc.spec.selector, { app: 'legacy' }, 'the selector defaults to the template labels');
      assert.deepEqual(rc.metadata.labels, { app: 'legacy' }, 'so do the labels');
      assert.deepEqual(rc.status, { replicas: 0 });
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
  // ---- admissionregistration.k8s.io/v1 ----
  {
    resource: 'mutatingwebhookconfigurations',
    name: 'mutate-cm',
    shown: 'mutatingwebhookconfiguration.admissionregistration.k8s.io/mutate-cm',
    manifest: `apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: mutate-cm}\nwebhooks:\n${webhook('m.example.com', '')}`,
    changed: `apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: mutate-cm}\nwebhooks:\n${webhook('m.example.com', '  timeoutSeconds: 5\n')}`,
    header: header('NAME', 'WEBHOOKS', 'AGE'),
    row: row('mutate-cm', '1', AGE),
    defaults: (config) => {
      assertWebhookDefaults(config.webhooks[0]);
      assert.equal(config.webhooks[0].reinvocationPolicy, 'Never');
    },
    updated: (config) => assert.equal(config.webhooks[0].timeoutSeconds, 5),
  },
  {
    resource: 'validatingwebhookconfigurations',
    name: 'validate-cm',
    shown: 'validatingwebhookconfiguration.admissionregistration.k8s.io/validate-cm',
    manifest: `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: validate-cm}\nwebhooks:\n${webhook('v.example.com', '')}`,
    changed: `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: validate-cm}\nwebhooks:\n${webhook('v.example.com', '  failurePolicy: Ignore\n')}`,
    header: header('NAME', 'WEBHOOKS', 'AGE'),
    row: row('validate-cm', '1', AGE),
    defaults: (config) => {
      assertWebhookDefaults(config.webhooks[0]);
      assert.equal(config.webhooks[0].reinvocationPolicy, undefined);
    },
    updated: (config) => assert.equal(config.webhooks[0].failurePolicy, 'Ignore'),
  },
  {
    resource: 'validatingadmissionpolicies',
    name: 'replica-limit',
    shown: 'validatingadmissionpolicy.admissionregistration.k8s.io/replica-limit',
    manifest: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replica-limit}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: "object.spec.replicas <= 5"
`,
    changed: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replica-limit}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: "object.spec.replicas <= 5"
  - expression: "object.spec.replicas >= 1"
`,
    header: header('NAME', 'VALIDATIONS', 'PARAMKIND', 'AGE'),
    row: row('replica-limit', '1', '<unset>', AGE),
    defaults: (vap) => {
      assert.equal(vap.spec.failurePolicy, 'Fail');
      assert.equal(vap.spec.matchConstraints.matchPolicy, 'Equivalent');
      assert.deepEqual(vap.spec.matchConstraints.namespaceSelector, {});
      assert.deepEqual(vap.spec.matchConstraints.objectSelector, {});
      assert.equal(vap.spec.matchConstraints.resourceRules[0].scope, '*');
    },
    updated: (vap) => assert.equal(vap.spec.validations.length, 2),
  },
  {
    resource: 'validatingadmissionpolicybindings',
    name: 'replica-limit-binding',
    shown: 'validatingadmissionpolicybinding.admissionregistration.k8s.io/replica-limit-binding',
    manifest: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replica-limit-binding}
spec:
  policyName: replica-limit
  validationActions: [Deny]
  matchResources:
    namespaceSelector: {matchLabels: {env: test}}
`,
    changed: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replica-limit-binding}
spec:
  policyName: replica-limit
  validationActions: [Warn, Audit]
  matchResources:
    namespaceSelector: {matchLabels: {env: test}}
`,
    header: header('NAME', 'POLICYNAME', 'PARAMREF', 'AGE'),
    row: row('replica-limit-binding', 'replica-limit', '<unset>', AGE),
    defaults: (binding) => {
      assert.equal(binding.spec.matchResources.matchPolicy, 'Equivalent');
      assert.deepEqual(binding.spec.matchResources.objectSelector, {});
    },
    updated: (binding) => assert.deepEqual(binding.spec.validationActions, ['Warn', 'Audit']),
  },
  // ---- apiextensions.k8s.io/v1, apiregistration.k8s.io/v1 ----
  {
    resource: 'customresourcedefinitions',
    name: 'widgets.example.com',
    shown: 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com',
    manifest: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
`,
    changed: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
`,
    header: header('NAME', 'CREATED AT'),
    row: row('widgets.example.com', CREATED_AT),
    defaults: (crd) => {
      assert.equal(crd.spec.names.singular, 'widget');
      assert.equal(crd.spec.names.listKind, 'WidgetList');
      assert.deepEqual(crd.spec.conversion, { strategy: 'None' });
      assert.deepEqual(crd.status.storedVersions, ['v1']);
    },
    updated: (crd) => assert.deepEqual(crd.spec.names.shortNames, ['wd']),
  },
  {
    resource: 'apiservices',
    name: 'v1alpha1.metrics.example.com',
    shown: 'apiservice.apiregistration.k8s.io/v1alpha1.metrics.example.com',
    manifest: `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1alpha1.metrics.example.com}
spec:
  group: metrics.example.com
  version: v1alpha1
  service: {namespace: ${NS}, name: metrics-api}
  groupPriorityMinimum: 100
  versionPriority: 10
  insecureSkipTLSVerify: true
`,
    changed: `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1alpha1.metrics.example.com}
spec:
  group: metrics.example.com
  version: v1alpha1
  service: {namespace: ${NS}, name: metrics-api}
  groupPriorityMinimum: 200
  versionPriority: 10
  insecureSkipTLSVerify: true
`,
    header: header('NAME', 'SERVICE', 'AVAILABLE', 'AGE'),
    // The availability controller sets the Available condition; until it has, upstream prints Unknown.
    row: row('v1alpha1.metrics.example.com', `${NS}/metrics-api`, /Unknown|False \(\w+\)/, AGE),
    defaults: (apiservice) => assert.equal(apiservice.spec.service.port, 443),
    updated: (apiservice) => assert.equal(apiservice.spec.groupPriorityMinimum, 200),
  },
  // ---- apps/v1 ----
  {
    resource: 'controllerrevisions',
    name: 'rev1',
    shown: 'controllerrevision.apps/rev1',
    manifest: 'apiVersion: apps/v1\nkind: ControllerRevision\nmetadata: {name: rev1}\nrevision: 1\ndata: {spec: {replicas: 1}}\n',
    changed: 'apiVersion: apps/v1\nkind: ControllerRevision\nmetadata: {name: rev1}\nrevision: 2\ndata: {spec: {replicas: 1}}\n',
    header: header('NAME', 'CONTROLLER', 'REVISION', 'AGE'),
    row: row('rev1', '<none>', '1', AGE),
    defaults: (rev) => assert.deepEqual(rev.data, { spec: { replicas: 1 } }),
    updated: (rev) => assert.equal(rev.revision, 2),
  },
  {
    resource: 'daemonsets',
    name: 'agent',
    shown: 'daemonset.apps/agent',
    manifest: `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n${podSpec('fluentd:v1', '      ')}\n`,
    changed: `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n${podSpec('fluentd:v2', '      ')}\n`,
    header: header('NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'),
    row: row('agent', '0', '0', '0', '0', '0', '<none>', AGE),
    defaults: (ds) => {
      assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
      assert.equal(ds.spec.revisionHistoryLimit, 10);
      assert.deepEqual(ds.status, { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 });
      assertPodSpecDefaults(ds.spec.template.spec);
    },
    updated: (ds) => {
      assert.equal(ds.spec.template.spec.containers[0].image, 'fluentd:v2');
      assert.equal(ds.metadata.generation, 2);
    },
  },
  {
    resource: 'deployments',
    name: 'web',
    shown: 'deployment.apps/web',
    manifest: `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n${podSpec('nginx:1.25', '      ')}\n`,
    changed: `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n${podSpec('nginx:1.25', '      ')}\n`,
    header: header('NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'),
    row: row('web', '0/1', '0', '0', AGE),
    defaults: (deploy) => {
      assert.equal(deploy.spec.replicas, 1);
      assert.deepEqual(deploy.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
      assert.equal(deploy.spec.revisionHistoryLimit, 10);
      assert.equal(deploy.spec.progressDeadlineSeconds, 600);
      assert.deepEqual(deploy.status, {});
      assertPodSpecDefaults(deploy.spec.template.spec);
    },
    updated: (deploy) => assert.equal(deploy.spec.replicas, 2),
  },
  {
    resource: 'replicasets',
    name: 'web-rs',
    shown: 'replicaset.apps/web-rs',
    manifest: `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-rs}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web-rs}}\n  template:\n    metadata: {labels: {app: web-rs}}\n    spec:\n${podSpec('nginx:1.25', '      ')}\n`,
    changed: `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-rs}\nspec:\n  replicas: 4\n  selector: {matchLabels: {app: web-rs}}\n  template:\n    metadata: {labels: {app: web-rs}}\n    spec:\n${podSpec('nginx:1.25', '      ')}\n`,
    header: header('NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'),
    row: row('web-rs', '2', '0', '0', AGE),
    defaults: (rs) => {
      assert.deepEqual(rs.status, { replicas: 0 });
      assertPodSpecDefaults(rs.spec.template.spec);
    },
    updated: (rs) => assert.equal(rs.spec.replicas, 4),
  },
  {
    resource: 'statefulsets',
    name: 'db',
    shown: 'statefulset.apps/db',
    manifest: `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n${podSpec('postgres:16', '      ')}\n`,
    changed: `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  replicas: 3\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n${podSpec('postgres:16', '      ')}\n`,
    header: header('NAME', 'READY', 'AGE'),
    row: row('db', '0/1', AGE),
    defaults: (sts) => {
      assert.equal(sts.spec.replicas, 1);
      assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
      assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      assert.equal(sts.spec.revisionHistoryLimit, 10);
      assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
      assert.deepEqual(sts.status, { availableReplicas: 0, replicas: 0 });
      assertPodSpecDefaults(sts.spec.template.spec);
    },
    updated: (sts) => assert.equal(sts.spec.replicas, 3),
  },
  // ---- autoscaling, batch, policy ----
  {
    resource: 'horizontalpodautoscalers',
    name: 'web',
    shown: 'horizontalpodautoscaler.autoscaling/web',
    manifest: `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 5\n`,
    changed: `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 8\n`,
    header: header('NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'),
    row: row('web', 'Deployment/web', 'cpu: <unknown>/80%', '1', '5', '0', AGE),
    defaults: (hpa) => {
      assert.equal(hpa.spec.minReplicas, 1);
      assert.deepEqual(hpa.status, { desiredReplicas: 0 });
      assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    },
    updated: (hpa) => assert.equal(hpa.spec.maxReplicas, 8),
  },
  {
    resource: 'cronjobs',
    name: 'nightly',
    shown: 'cronjob.batch/nightly',
    manifest: `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n${podSpec('busybox:1.36', '          ')}\n`,
    changed: `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: "0 4 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n${podSpec('busybox:1.36', '          ')}\n`,
    header: header('NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'),
    row: row('nightly', '0 3 * * *', '<none>', 'False', '0', '<none>', AGE),
    defaults: (cj) => {
      assert.equal(cj.spec.concurrencyPolicy, 'Allow');
      assert.equal(cj.spec.suspend, false);
      assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
      assert.equal(cj.spec.failedJobsHistoryLimit, 1);
      assert.equal(cj.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
    },
    updated: (cj) => assert.equal(cj.spec.schedule, '0 4 * * *'),
  },
  {
    resource: 'jobs',
    name: 'migrate',
    shown: 'job.batch/migrate',
    manifest: `apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n${podSpec('busybox:1.36', '      ')}\n`,
    changed: `apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  activeDeadlineSeconds: 600\n  template:\n    spec:\n      restartPolicy: Never\n${podSpec('busybox:1.36', '      ')}\n`,
    header: header('NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'),
    row: row('migrate', 'Running', '0/1', AGE),
    defaults: (job) => {
      assert.equal(job.spec.completions, 1);
      assert.equal(job.spec.parallelism, 1);
      assert.equal(job.spec.backoffLimit, 6);
      assert.equal(job.spec.completionMode, 'NonIndexed');
      assert.equal(job.spec.suspend, false);
      assert.equal(job.spec.manualSelector, false);
      assert.equal(job.spec.podReplacementPolicy, 'TerminatingOrFailed');
      const uid = job.metadata.uid;
      assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
      assert.equal(job.spec.template.metadata.labels['batch.kubernetes.io/job-name'], 'migrate');
      assert.equal(job.spec.template.metadata.labels['job-name'], 'migrate');
      assert.equal(job.spec.template.metadata.labels['controller-uid'], uid);
    },
    updated: (job) => assert.equal(job.spec.activeDeadlineSeconds, 600),
  },
  {
    resource: 'poddisruptionbudgets',
    name: 'web',
    shown: 'poddisruptionbudget.policy/web',
    manifest: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: web}}\n',
    changed: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 2\n  selector: {matchLabels: {app: web}}\n',
    header: header('NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'),
    row: row('web', '1', 'N/A', '0', AGE),
    defaults: (pdb) => {
      assert.equal(pdb.spec.minAvailable, 1);
      assert.deepEqual(pdb.status, { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
    },
    updated: (pdb) => assert.equal(pdb.spec.minAvailable, 2),
  },
  // ---- certificates, coordination, discovery ----
  {
    resource: 'certificatesigningrequests',
    name: 'alice',
    shown: 'certificatesigningrequest.certificates.k8s.io/alice',
    manifest: `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata: {name: alice}\nspec:\n  request: ${CSR_REQUEST}\n  signerName: kubernetes.io/kube-apiserver-client\n  usages: [client auth]\n`,
    changed: `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata: {name: alice, labels: {team: dev}}\nspec:\n  request: ${CSR_REQUEST}\n  signerName: kubernetes.io/kube-apiserver-client\n  usages: [client auth]\n`,
    header: header('NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION'),
    // Upstream's CSR PrepareForCreate fills spec.username, uid, groups and extra from the
    // requesting user, so REQUESTOR shows the user.
    row: row('alice', AGE, 'kubernetes.io/kube-apiserver-client', /\S+/, '<none>', 'Pending'),
    defaults: (csr) => {
      assert.ok(csr.spec.username, 'the requesting user is recorded');
      assert.ok(Array.isArray(csr.spec.groups) && csr.spec.groups.includes('system:authenticated'));
    },
    updated: (csr) => assert.equal(csr.metadata.labels.team, 'dev'),
  },
  {
    resource: 'leases',
    name: 'leader',
    shown: 'lease.coordination.k8s.io/leader',
    manifest: 'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: leader}\nspec: {holderIdentity: node-a, leaseDurationSeconds: 15}\n',
    changed: 'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: leader}\nspec: {holderIdentity: node-b, leaseDurationSeconds: 15}\n',
    header: header('NAME', 'HOLDER', 'AGE'),
    row: row('leader', 'node-a', AGE),
    defaults: (lease) => assert.equal(lease.spec.leaseDurationSeconds, 15),
    updated: (lease) => assert.equal(lease.spec.holderIdentity, 'node-b'),
  },
  {
    resource: 'endpointslices',
    name: 'web-abc',
    shown: 'endpointslice.discovery.k8s.io/web-abc',
    manifest:
      'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-abc, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints:\n- addresses: [10.0.0.5]\nports: [{port: 8080}]\n',
    changed:
      'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-abc, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints:\n- addresses: [10.0.0.5]\n- addresses: [10.0.0.6]\nports: [{port: 8080}]\n',
    header: header('NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'),
    row: row('web-abc', 'IPv4', '8080', '10.0.0.5', AGE),
    defaults: (slice) => assert.deepEqual(slice.ports[0], { name: '', port: 8080, protocol: 'TCP' }),
    updated: (slice) => assert.equal(slice.endpoints.length, 2),
  },
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

for (const kind of cases) {
  test(`${kind.resource}: apply, get, -o yaml defaults, describe, apply a change, delete`, async () => {
    const ns = ['-n', NS];
    assert.equal((await cluster.ok(['apply', ...ns, '-f', '-'], { input: kind.manifest })).trim(), `${kind.shown} created`);
    const table = await cluster.ok(['get', ...ns, kind.resource, kind.name]);
    assert.match(table, kind.header, `header of:\n${table}`);
    assert.match(table, kind.row, `row of:\n${table}`);
    const obj = parse(await cluster.ok(['get', ...ns, kind.resource, kind.name, '-o', 'yaml'])) as Obj;
    assert.equal(obj.metadata.name, kind.name);
    assert.ok(obj.metadata.uid && obj.metadata.resourceVersion && obj.metadata.creationTimestamp);
    kind.defaults(obj);
    const described = await cluster.kubectl(['describe', ...ns, kind.resource, kind.name]);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, new RegExp(`^Name:\\s+${escape(kind.name)}$`, 'm'), described.stdout);
    assert.equal((await cluster.ok(['apply', ...ns, '-f', '-'], { input: kind.changed })).trim(), `${kind.shown} configured`);
    kind.updated(JSON.parse(await cluster.ok(['get', ...ns, kind.resource, kind.name, '-o', 'json'])));
    const [resourceName, ...group] = kind.shown.split('/')[0]!.split('.');
    assert.equal((await cluster.ok(['delete', ...ns, kind.resource, kind.name, '--wait=false'])).trim(), `${[resourceName, ...group].join('.')} "${kind.name}" deleted`);
    if (kind.resource !== 'namespaces') {
      assert.match((await cluster.kubectl(['get', ...ns, kind.resource, kind.name])).stderr, /NotFound|not found/);
    }
  });
}

// ---------------------------------------------------------------------------------------
// Beyond CRUD: the rest of what a user types.
// ---------------------------------------------------------------------------------------

/** The namespace goes first, so that it never lands after a `--` command separator. */
const inNs = (...args: string[]): string[] => ['-n', NS, ...args];

test('kubectl get componentstatuses prints upstream health columns', async () => {
  // Upstream answers the Table request with NAME STATUS MESSAGE ERROR (and a deprecation warning).
  // componentstatuses answer as a Table with the deprecation warning, as upstream.
  const result = await cluster.kubectl(['get', 'componentstatuses']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, header('NAME', 'STATUS', 'MESSAGE', 'ERROR'), result.stdout);
  assert.match(result.stdout, row('scheduler', 'Healthy', 'ok'), result.stdout);
  assert.match(result.stdout, row('controller-manager', 'Healthy', 'ok'), result.stdout);
  assert.match(result.stderr, /Warning: v1 ComponentStatus is deprecated in v1\.19\+/);
});

test('kubectl api-versions lists every served group version and no beta ones', async () => {
  const lines = (await cluster.ok(['api-versions'])).trim().split('\n');
  for (const gv of [
    'v1',
    'admissionregistration.k8s.io/v1',
    'apiextensions.k8s.io/v1',
    'apiregistration.k8s.io/v1',
    'apps/v1',
    'authentication.k8s.io/v1',
    'authorization.k8s.io/v1',
    'autoscaling/v1',
    'autoscaling/v2',
    'batch/v1',
    'certificates.k8s.io/v1',
    'coordination.k8s.io/v1',
    'discovery.k8s.io/v1',
    'events.k8s.io/v1',
    'flowcontrol.apiserver.k8s.io/v1',
    'networking.k8s.io/v1',
    'node.k8s.io/v1',
    'policy/v1',
    'rbac.authorization.k8s.io/v1',
    'scheduling.k8s.io/v1',
    'storage.k8s.io/v1',
  ]) {
    assert.ok(lines.includes(gv), `${gv} in:\n${lines.join('\n')}`);
  }
  assert.deepEqual(lines, [...lines].sort(), 'sorted as kubectl prints them');
  assert.equal(lines.filter((line) => /beta|alpha/.test(line)).length, 0, lines.join('\n'));
});

test('kubectl explain shows fields from the published OpenAPI', async () => {
  const strategy = await cluster.ok(['explain', 'deployment.spec.strategy']);
  assert.match(strategy, /^GROUP:\s+apps$/m);
  assert.match(strategy, /^KIND:\s+Deployment$/m);
  assert.match(strategy, /^VERSION:\s+v1$/m);
  assert.match(strategy, /^FIELD: strategy <DeploymentStrategy>$/m);
  assert.match(strategy, /^ {2}rollingUpdate\t<RollingUpdateDeployment>$/m);
  assert.match(strategy, /^ {2}type\t<string>$/m);
  assert.match(strategy, /enum: Recreate, RollingUpdate/);
  const image = await cluster.ok(['explain', 'pod.spec.containers.image']);
  assert.doesNotMatch(image, /^GROUP:/m, 'the core group has no GROUP line');
  assert.match(image, /^KIND:\s+Pod$/m);
  assert.match(image, /^VERSION:\s+v1$/m);
  assert.match(image, /^FIELD: image <string>$/m);
  assert.match(image, /Container image name/);
});

test('kubectl auth can-i and auth whoami', async () => {
  assert.equal((await cluster.ok(['auth', 'can-i', 'create', 'pods'])).trim(), 'yes');
  assert.equal((await cluster.ok(['auth', 'can-i', 'delete', 'deployments.apps', '-n', NS])).trim(), 'yes');
  const whoami = await cluster.ok(['auth', 'whoami']);
  assert.match(whoami, header('ATTRIBUTE', 'VALUE'));
  assert.match(whoami, /^Username\s+\S+$/m);
  assert.match(whoami, /^Groups\s+\[.*system:authenticated.*\]$/m);
  const json = JSON.parse(await cluster.ok(['auth', 'whoami', '-o', 'json']));
  assert.equal(json.kind, 'SelfSubjectReview');
  assert.equal(json.apiVersion, 'authentication.k8s.io/v1');
  assert.ok(json.status.userInfo.username);
});

test('kubectl create subcommands (protobuf bodies) create what they say', async () => {
  const created = async (args: string[], shown: string): Promise<void> => {
    assert.equal((await cluster.ok(inNs('create', ...args))).trim(), `${shown} created`);
  };
  // The typed clients behind these subcommands send protobuf; check it on one of them.
  const verbose = await cluster.kubectl(inNs('create', 'configmap', 'pb-probe', '--from-literal=a=b', '-v=8'));
  assert.equal(verbose.code, 0, verbose.stderr);
  assert.match(verbose.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);

  await created(['configmap', 'app-config', '--from-literal=mode=fast', '--from-literal=level=3'], 'configmap/app-config');
  await created(['secret', 'generic', 'app-secret', '--from-literal=password=s3cret'], 'secret/app-secret');
  await created(['deployment', 'api', '--image=nginx:1.25', '--replicas=2', '--port=8080'], 'deployment.apps/api');
  await created(['service', 'clusterip', 'api', '--tcp=80:8080'], 'service/api');
  await created(['service', 'nodeport', 'api-np', '--tcp=80:8080'], 'service/api-np');
  await created(['job', 'once', '--image=busybox:1.36', '--', 'echo', 'hi'], 'job.batch/once');
  await created(['cronjob', 'every5', '--image=busybox:1.36', '--schedule=*/5 * * * *', '--', 'echo', 'hi'], 'cronjob.batch/every5');
  await created(['namespace', 'created-ns'], 'namespace/created-ns');
  await created(['serviceaccount', 'builder'], 'serviceaccount/builder');
  await created(['role', 'pod-reader', '--verb=get,list', '--resource=pods'], 'role.rbac.authorization.k8s.io/pod-reader');
  await created(['rolebinding', 'read-pods', '--role=pod-reader', '--user=bob', '--serviceaccount=kinds:builder'], 'rolebinding.rbac.authorization.k8s.io/read-pods');
  await created(['clusterrole', 'node-viewer', '--verb=get,list', '--resource=nodes'], 'clusterrole.rbac.authorization.k8s.io/node-viewer');
  await created(['clusterrolebinding', 'view-nodes', '--clusterrole=node-viewer', '--group=ops'], 'clusterrolebinding.rbac.authorization.k8s.io/view-nodes');
  await created(['pdb', 'api', '--selector=app=api', '--min-available=1'], 'poddisruptionbudget.policy/api');
  await created(['priorityclass', 'batch-low', '--value=100', '--description=batch work'], 'priorityclass.scheduling.k8s.io/batch-low');
  await created(['quota', 'small', '--hard=pods=5,cpu=2'], 'resourcequota/small');
  await created(['ingress', 'api', '--class=nginx', '--rule=api.example.com/*=api:80'], 'ingress.networking.k8s.io/api');

  const get = async (...args: string[]): Promise<Obj> => JSON.parse(await cluster.ok(inNs('get', ...args, '-o', 'json')));
  assert.deepEqual((await get('cm', 'app-config')).data, { level: '3', mode: 'fast' });
  assert.equal((await get('secret', 'app-secret')).data.password, Buffer.from('s3cret').toString('base64'));
  const deploy = await get('deploy', 'api');
  assert.equal(deploy.spec.replicas, 2);
  assert.deepEqual(deploy.spec.selector, { matchLabels: { app: 'api' } });
  assert.deepEqual(deploy.spec.template.spec.containers[0].ports, [{ containerPort: 8080, protocol: 'TCP' }]);
  assert.equal(deploy.spec.strategy.type, 'RollingUpdate');
  const svc = await get('svc', 'api');
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.deepEqual(svc.spec.ports, [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
  assert.deepEqual(svc.spec.selector, { app: 'api' });
  const nodePort = await get('svc', 'api-np');
  assert.equal(nodePort.spec.type, 'NodePort');
  assert.equal(nodePort.spec.externalTrafficPolicy, 'Cluster');
  assert.ok(nodePort.spec.ports[0].nodePort >= 30000 && nodePort.spec.ports[0].nodePort <= 32767);
  const job = await get('job', 'once');
  assert.deepEqual(job.spec.template.spec.containers[0].command, ['echo', 'hi']);
  assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  assert.equal(job.spec.backoffLimit, 6);
  const cronJob = await get('cronjob', 'every5');
  assert.equal(cronJob.spec.schedule, '*/5 * * * *');
  assert.equal(cronJob.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
  assert.equal((await get('ns', 'created-ns')).status.phase, 'Active');
  assert.equal((await get('sa', 'builder')).metadata.name, 'builder');
  assert.deepEqual((await get('role', 'pod-reader')).rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
  assert.deepEqual((await get('rolebinding', 'read-pods')).subjects, [
    { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' },
    { kind: 'ServiceAccount', name: 'builder', namespace: NS },
  ]);
  assert.deepEqual((await get('clusterrole', 'node-viewer')).rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }]);
  assert.deepEqual((await get('clusterrolebinding', 'view-nodes')).roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-viewer' });
  assert.equal((await get('pdb', 'api')).spec.minAvailable, 1);
  const pc = await get('priorityclass', 'batch-low');
  assert.equal(pc.value, 100);
  assert.equal(pc.description, 'batch work');
  assert.equal(pc.preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual((await get('quota', 'small')).spec.hard, { cpu: '2', pods: '5' });
  const ingress = await get('ingress', 'api');
  assert.equal(ingress.spec.ingressClassName, 'nginx');
  assert.deepEqual(ingress.spec.rules, [
    { host: 'api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } },
  ]);
});

test('kubectl run creates a pod', async () => {
  assert.equal((await cluster.ok(inNs('run', 'runner', '--image=nginx:1.25', '--labels=app=runner,tier=web', '--port=80'))).trim(), 'pod/runner created');
  const pod = JSON.parse(await cluster.ok(inNs('get', 'pod', 'runner', '-o', 'json')));
  assert.deepEqual(pod.metadata.labels, { app: 'runner', tier: 'web' });
  assert.deepEqual(pod.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.match(await cluster.ok(inNs('get', 'pod', 'runner')), row('runner', '0/1', 'Pending', '0', AGE));
});

test('kubectl scale, with and without a --current-replicas precondition', async () => {
  assert.equal((await cluster.ok(inNs('scale', 'deployment', 'api', '--replicas=3'))).trim(), 'deployment.apps/api scaled');
  assert.equal(await cluster.ok(inNs('get', 'deploy', 'api', '-o', 'jsonpath={.spec.replicas}')), '3');
  const mismatch = await cluster.kubectl(inNs('scale', 'deployment', 'api', '--current-replicas=2', '--replicas=4'));
  assert.notEqual(mismatch.code, 0);
  assert.match(mismatch.stderr, /Expected replicas to be 2, was 3/);
  assert.equal(await cluster.ok(inNs('get', 'deploy', 'api', '-o', 'jsonpath={.spec.replicas}')), '3');
  assert.equal((await cluster.ok(inNs('scale', 'deployment', 'api', '--current-replicas=3', '--replicas=1'))).trim(), 'deployment.apps/api scaled');
  const scale = JSON.parse(await cluster.ok(['get', '--raw', `/apis/apps/v1/namespaces/${NS}/deployments/api/scale`]));
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.apiVersion, 'autoscaling/v1');
  assert.equal(scale.spec.replicas, 1);
});

test('Events created in core/v1 and events.k8s.io/v1 are seen through both APIs', async () => {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const coreEvent = `apiVersion: v1
kind: Event
metadata: {name: runner.scheduled}
involvedObject: {kind: Pod, name: runner, namespace: ${NS}}
reason: Scheduled
message: Successfully assigned pod
type: Normal
source: {component: default-scheduler}
firstTimestamp: "${now}"
lastTimestamp: "${now}"
count: 1
`;
  const newEvent = `apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: runner.pulled}
eventTime: "${now.replace('Z', '.000000Z')}"
reportingController: kubelet
reportingInstance: node-1
action: Pulling
reason: Pulled
regarding: {kind: Pod, name: runner, namespace: ${NS}}
note: Image pulled
type: Normal
`;
  assert.equal((await cluster.ok(inNs('apply', '-f', '-'), { input: coreEvent })).trim(), 'event/runner.scheduled created');
  assert.equal((await cluster.ok(inNs('apply', '-f', '-'), { input: newEvent })).trim(), 'event.events.k8s.io/runner.pulled created');

  const coreTable = await cluster.ok(inNs('get', 'events'));
  assert.match(coreTable, header('LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'));
  assert.match(coreTable, row(AGE, 'Normal', 'Scheduled', 'pod/runner', 'Successfully assigned pod'));
  assert.match(coreTable, row(AGE, 'Normal', 'Pulled', 'pod/runner', 'Image pulled'));
  const newTable = await cluster.ok(inNs('get', 'events.events.k8s.io'));
  assert.match(newTable, header('LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'));
  assert.match(newTable, row(AGE, 'Normal', 'Scheduled', 'pod/runner', 'Successfully assigned pod'));
  assert.match(newTable, row(AGE, 'Normal', 'Pulled', 'pod/runner', 'Image pulled'));

  // Plain "events" resolves to the core group, as upstream's RESTMapper prefers it.
  const pulledAsCore = JSON.parse(await cluster.ok(inNs('get', 'events', 'runner.pulled', '-o', 'json')));
  assert.equal(pulledAsCore.apiVersion, 'v1');
  assert.equal(pulledAsCore.message, 'Image pulled');
  assert.equal(pulledAsCore.reportingComponent, 'kubelet');
  assert.deepEqual(pulledAsCore.involvedObject, { kind: 'Pod', name: 'runner', namespace: NS });
  const scheduledAsNew = JSON.parse(await cluster.ok(inNs('get', 'events.v1.events.k8s.io', 'runner.scheduled', '-o', 'json')));
  assert.equal(scheduledAsNew.apiVersion, 'events.k8s.io/v1');
  assert.equal(scheduledAsNew.note, 'Successfully assigned pod');
  assert.equal(scheduledAsNew.deprecatedCount, 1);
  assert.deepEqual(scheduledAsNew.deprecatedSource, { component: 'default-scheduler' });
  assert.deepEqual(scheduledAsNew.regarding, { kind: 'Pod', name: 'runner', namespace: NS });

  const byField = await cluster.ok(inNs('get', 'events', '--field-selector', 'reason=Pulled', '-o', 'name'));
  assert.equal(byField.trim(), 'event/runner.pulled');
  const byObject = await cluster.ok(inNs('get', 'events', '--field-selector', 'involvedObject.name=runner,involvedObject.kind=Pod', '-o', 'name'));
  assert.deepEqual(byObject.trim().split('\n').sort(), ['event/runner.pulled', 'event/runner.scheduled']);
});

test('a HorizontalPodAutoscaler written in autoscaling/v1 reads back in v2, and the other way', async () => {
  const v1 = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: api-v1}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 6
  targetCPUUtilizationPercentage: 70
`;
  assert.equal((await cluster.ok(inNs('apply', '-f', '-'), { input: v1 })).trim(), 'horizontalpodautoscaler.autoscaling/api-v1 created');
  const asV2 = JSON.parse(await cluster.ok(inNs('get', 'horizontalpodautoscalers.v2.autoscaling', 'api-v1', '-o', 'json')));
  assert.equal(asV2.apiVersion, 'autoscaling/v2');
  assert.deepEqual(asV2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  assert.equal(asV2.spec.minReplicas, 2);

  const v2 = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api-v2}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  maxReplicas: 4
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 55}}
`;
  assert.equal((await cluster.ok(inNs('apply', '-f', '-'), { input: v2 })).trim(), 'horizontalpodautoscaler.autoscaling/api-v2 created');
  const asV1 = JSON.parse(await cluster.ok(inNs('get', 'horizontalpodautoscalers.v1.autoscaling', 'api-v2', '-o', 'json')));
  assert.equal(asV1.apiVersion, 'autoscaling/v1');
  assert.equal(asV1.spec.targetCPUUtilizationPercentage, 55);
  assert.equal(asV1.spec.minReplicas, 1);
  assert.deepEqual(asV1.status, { currentReplicas: 0, desiredReplicas: 0 });

  const table = await cluster.ok(inNs('get', 'hpa'));
  assert.match(table, header('NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'));
  assert.match(table, row('api-v1', 'Deployment/api', 'cpu: <unknown>/70%', '2', '6', '0', AGE));
  assert.match(table, row('api-v2', 'Deployment/api', 'cpu: <unknown>/55%', '1', '4', '0', AGE));
  // A v1 apply of a changed manifest is a patch through the v1 view of the v2-stored object.
  assert.equal(
    (await cluster.ok(inNs('apply', '-f', '-'), { input: v1.replace('targetCPUUtilizationPercentage: 70', 'targetCPUUtilizationPercentage: 75') })).trim(),
    'horizontalpodautoscaler.autoscaling/api-v1 configured',
  );
  assert.equal(await cluster.ok(inNs('get', 'horizontalpodautoscalers.v2.autoscaling', 'api-v1', '-o', 'jsonpath={.spec.metrics[0].resource.target.averageUtilization}')), '75');
});

test('kubectl delete --dry-run=server reports the deletion and keeps the object', async () => {
  assert.equal((await cluster.ok(inNs('delete', 'configmap', 'app-config', '--dry-run=server'))).trim(), 'configmap "app-config" deleted (server dry run)');
  assert.equal(await cluster.ok(inNs('get', 'configmap', 'app-config', '-o', 'jsonpath={.metadata.name}')), 'app-config');
  assert.equal((await cluster.ok(inNs('delete', 'deployment', 'api', '--dry-run=server'))).trim(), 'deployment.apps "api" deleted (server dry run)');
  assert.equal(await cluster.ok(inNs('get', 'deployment', 'api', '-o', 'name')), 'deployment.apps/api\n');
});

test('label selectors, field selectors, -o name and --chunk-size pagination', async () => {
  for (let i = 1; i <= 5; i++) {
    await cluster.ok(inNs('create', 'configmap', `page-${i}`, `--from-literal=i=${i}`));
    await cluster.ok(inNs('label', 'configmap', `page-${i}`, 'paged=yes', `tier=${i % 2 === 0 ? 'even' : 'odd'}`));
  }
  const names = (out: string): string[] => out.trim().split('\n').filter(Boolean);
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '-l', 'paged=yes', '-o', 'name'))), [1, 2, 3, 4, 5].map((i) => `configmap/page-${i}`));
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '-l', 'tier=even', '-o', 'name'))), ['configmap/page-2', 'configmap/page-4']);
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '-l', 'paged=yes,tier!=even', '-o', 'name'))), ['configmap/page-1', 'configmap/page-3', 'configmap/page-5']);
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '-l', 'tier in (even)', '-o', 'name'))), ['configmap/page-2', 'configmap/page-4']);
  assert.ok(!names(await cluster.ok(inNs('get', 'cm', '-l', '!paged', '-o', 'name'))).some((name) => name.startsWith('configmap/page-')));
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '--field-selector', 'metadata.name=page-3', '-o', 'name'))), ['configmap/page-3']);
  assert.deepEqual(
    names(await cluster.ok(inNs('get', 'pods', '--field-selector', 'status.phase=Pending,metadata.name=runner', '-o', 'name'))),
    ['pod/runner'],
  );
  assert.equal((await cluster.ok(inNs('get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name'))).trim(), '');
  const unsupported = await cluster.kubectl(inNs('get', 'pods', '--field-selector', 'spec.bogus=x'));
  assert.notEqual(unsupported.code, 0);
  assert.match(unsupported.stderr, /field label not supported: spec\.bogus/);

  // Five items in pages of two: three list calls, one table, one header.
  const paged = await cluster.kubectl(inNs('get', 'cm', '-l', 'paged=yes', '--chunk-size=2', '-v=6'));
  assert.equal(paged.code, 0, paged.stderr);
  assert.equal(paged.stdout.match(/^NAME\s+DATA\s+AGE$/gm)?.length, 1, paged.stdout);
  assert.deepEqual(
    names(paged.stdout).slice(1).map((line) => line.split(/\s+/)[0]),
    [1, 2, 3, 4, 5].map((i) => `page-${i}`),
  );
  const listCalls = paged.stderr.match(/GET https:\/\/\S+\/configmaps\?\S*limit=2\S* 200 OK/g) ?? [];
  assert.equal(listCalls.length, 3, paged.stderr);
  assert.equal(listCalls.filter((call) => call.includes('continue=')).length, 2);
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '-l', 'paged=yes', '--chunk-size=2', '-o', 'name'))), [1, 2, 3, 4, 5].map((i) => `configmap/page-${i}`));
});

test('-o wide adds upstream\'s extra columns for pods, services and deployments', async () => {
  await cluster.ok(inNs('create', 'deployment', 'wide', '--image=nginx:1.25', '--replicas=2'));
  await cluster.ok(inNs('expose', 'deployment', 'wide', '--port=80', '--target-port=8080'));
  const pods = await cluster.ok(inNs('get', 'pod', 'runner', '-o', 'wide'));
  assert.match(pods, header('NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'));
  assert.match(pods, row('runner', '0/1', 'Pending', '0', AGE, '<none>', '<none>', '<none>', '<none>'));
  const svc = await cluster.ok(inNs('get', 'svc', 'wide', '-o', 'wide'));
  assert.match(svc, header('NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'));
  assert.match(svc, row('wide', 'ClusterIP', /10\.\d+\.\d+\.\d+/, '<none>', '80/TCP', AGE, 'app=wide'));
  const deploy = await cluster.ok(inNs('get', 'deploy', 'wide', '-o', 'wide'));
  assert.match(deploy, header('NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'));
  assert.match(deploy, row('wide', '0/2', '0', '0', AGE, 'nginx', 'nginx:1.25', 'app=wide'));
});

test('kubectl get all lists the "all" category across kinds', async () => {
  const all = await cluster.ok(inNs('get', 'all'));
  assert.match(all, header('NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'));
  assert.match(all, row('pod/runner', '0/1', 'Pending', '0', AGE));
  assert.match(all, row('service/wide', 'ClusterIP', /10\.\d+\.\d+\.\d+/, '<none>', '80/TCP', AGE));
  assert.match(all, row('deployment.apps/wide', '0/2', '0', '0', AGE));
  assert.match(all, /^job\.batch\/once\s+Running\s+0\/1/m);
  assert.match(all, row('cronjob.batch/every5', '*/5 * * * *', '<none>', 'False', '0', '<none>', AGE));
  assert.match(all, /^horizontalpodautoscaler\.autoscaling\/api-v1\s+Deployment\/api/m);
  const names = (await cluster.ok(inNs('get', 'all', '-o', 'name'))).trim().split('\n');
  for (const name of ['pod/runner', 'service/wide', 'deployment.apps/wide', 'job.batch/once', 'cronjob.batch/every5']) assert.ok(names.includes(name), name);
  assert.ok(!names.some((name) => name.startsWith('configmap/')), 'configmaps are not in "all"');
});

test('a queuing PriorityLevelConfiguration without queuing parameters is refused as upstream does', async () => {
  const result = await cluster.kubectl(['apply', '-f', '-'], {
    input: 'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata: {name: no-queuing}\nspec:\n  type: Limited\n  limited:\n    limitResponse: {type: Queue}\n',
  });
  assert.notEqual(result.code, 0);
  assert.match(
    result.stderr,
    /The PriorityLevelConfiguration "no-queuing" is invalid: spec\.limited\.limitResponse\.queuing: Required value: must not be empty if limited\.limitResponse\.type is Limited/,
  );
});
