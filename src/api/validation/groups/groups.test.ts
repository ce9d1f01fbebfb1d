import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { groupValidators } from './index.js';

const run = (gk: string, obj: KubeObject) => groupValidators[gk]!.validate!(obj).map(formatFieldError);
const runUpdate = (gk: string, obj: KubeObject, old: KubeObject) => groupValidators[gk]!.validateUpdate!(obj, old).map(formatFieldError);
const meta = { name: 'x', namespace: 'default' };

test('every GroupKind has a name validator', () => {
  assert.ok(Object.keys(groupValidators).length >= 30);
  for (const [gk, gv] of Object.entries(groupValidators)) assert.equal(typeof gv.nameValidator, 'function', gk);
});

test('HorizontalPodAutoscaler', () => {
  const hpa = (spec: Record<string, unknown>): KubeObject => ({ kind: 'HorizontalPodAutoscaler', metadata: meta, spec });
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
  assert.deepEqual(run('HorizontalPodAutoscaler.autoscaling', hpa({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3 })), []);
  assert.deepEqual(run('HorizontalPodAutoscaler.autoscaling', hpa({ scaleTargetRef: ref, minReplicas: 5, maxReplicas: 3 })), [
    'spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`',
  ]);
  assert.deepEqual(run('HorizontalPodAutoscaler.autoscaling', hpa({ scaleTargetRef: { kind: 'Deployment' }, minReplicas: 0, maxReplicas: 0 })), [
    'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
    'spec.maxReplicas: Invalid value: 0: must be greater than 0',
    'spec.scaleTargetRef.name: Required value',
  ]);
  const metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }];
  assert.deepEqual(run('HorizontalPodAutoscaler.autoscaling', hpa({ scaleTargetRef: ref, maxReplicas: 3, metrics })), [
    'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
  ]);
});

test('PodDisruptionBudget', () => {
  const pdb = (spec: Record<string, unknown>): KubeObject => ({ kind: 'PodDisruptionBudget', metadata: meta, spec });
  assert.deepEqual(run('PodDisruptionBudget.policy', pdb({ minAvailable: 1, selector: { matchLabels: { a: 'b' } } })), []);
  assert.deepEqual(run('PodDisruptionBudget.policy', pdb({ minAvailable: 2, maxUnavailable: 1 })), [
    'spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), Selector:(*v1.LabelSelector)(nil), MaxUnavailable:(*intstr.IntOrString)(0xc000000000), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
  ]);
  assert.deepEqual(run('PodDisruptionBudget.policy', pdb({ maxUnavailable: '150%' })), [
    'spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
  ]);
});

test('RBAC roles and bindings', () => {
  assert.deepEqual(run('Role.rbac.authorization.k8s.io', { kind: 'Role', metadata: meta, rules: [{ verbs: [], resources: ['pods'] }] }), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
  ]);
  assert.deepEqual(run('Role.rbac.authorization.k8s.io', { kind: 'Role', metadata: meta, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }), [
    'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
  ]);
  assert.deepEqual(run('ClusterRole.rbac.authorization.k8s.io', { kind: 'ClusterRole', metadata: meta, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }), []);
  const binding: KubeObject = {
    kind: 'ClusterRoleBinding',
    metadata: meta,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    subjects: [{ kind: 'ServiceAccount', name: 'default' }, { kind: 'Robot', name: 'r2d2' }],
  };
  assert.deepEqual(run('ClusterRoleBinding.rbac.authorization.k8s.io', binding), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].namespace: Required value',
    'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
  ]);
  const rb = (name: string): KubeObject => ({ kind: 'RoleBinding', metadata: meta, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name } });
  assert.deepEqual(runUpdate('RoleBinding.rbac.authorization.k8s.io', rb('b'), rb('a')), [
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef',
  ]);
});

test('Ingress', () => {
  const ing = (spec: Record<string, unknown>): KubeObject => ({ kind: 'Ingress', metadata: meta, spec });
  const backend = { service: { name: 'web', port: { number: 80 } } };
  assert.deepEqual(run('Ingress.networking.k8s.io', ing({ rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] })), []);
  assert.deepEqual(run('Ingress.networking.k8s.io', ing({})), [
    'spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
  ]);
  assert.deepEqual(run('Ingress.networking.k8s.io', ing({ rules: [{ http: { paths: [{ path: 'api', backend }] } }, { http: { paths: [{ path: 'api', pathType: 'Exact', backend: { service: { name: 'web', port: {} } } }] } }] })), [
    'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    'spec.rules[1].http.paths[0].path: Invalid value: "api": must be an absolute path',
    'spec.rules[1].http.paths[0].backend: Required value: port name or number is required',
  ]);
});

test('IngressClass and NetworkPolicy', () => {
  assert.deepEqual(run('IngressClass.networking.k8s.io', { kind: 'IngressClass', metadata: meta, spec: { controller: 'nginx' } }), [
    'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
  ]);
  const np: KubeObject = {
    kind: 'NetworkPolicy',
    metadata: meta,
    spec: {
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }, {}], ports: [{ protocol: 'ICMP', port: 80, endPort: 70 }] }],
      policyTypes: ['Ingress', 'Sideways'],
    },
  };
  assert.deepEqual(run('NetworkPolicy.networking.k8s.io', np), [
    'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    'spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`',
    'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
    'spec.ingress[0].from[1]: Required value: must specify a peer',
    'spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
  ]);
});

test('storage kinds', () => {
  const sc = (extra: Record<string, unknown>): KubeObject => ({ kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', ...extra });
  assert.deepEqual(run('StorageClass.storage.k8s.io', sc({})), []);
  assert.deepEqual(run('StorageClass.storage.k8s.io', sc({ provisioner: '', reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' })), [
    'provisioner: Required value',
    'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
    'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
  ]);
  assert.deepEqual(runUpdate('StorageClass.storage.k8s.io', sc({ parameters: { type: 'gp3' } }), sc({})), ['parameters: Forbidden: updates to parameters are forbidden.']);
  assert.deepEqual(run('VolumeAttachment.storage.k8s.io', { kind: 'VolumeAttachment', metadata: meta, spec: { attacher: 'csi.example.com', nodeName: 'n1', source: {} } }), [
    'spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName',
  ]);
});

test('EndpointSlice, PriorityClass, RuntimeClass, Lease', () => {
  const slice: KubeObject = { kind: 'EndpointSlice', metadata: meta, addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'] }, { addresses: [] }], ports: [{ name: 'http', protocol: 'HTTP' }] };
  assert.deepEqual(run('EndpointSlice.discovery.k8s.io', slice), [
    'endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'endpoints[1].addresses: Required value: must contain at least 1 address',
    'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  ]);
  assert.deepEqual(runUpdate('EndpointSlice.discovery.k8s.io', { ...slice, addressType: 'IPv6' }, slice), ['addressType: Invalid value: "IPv6": field is immutable']);
  assert.deepEqual(run('PriorityClass.scheduling.k8s.io', { kind: 'PriorityClass', metadata: { name: 'big' }, value: 2_000_000_000 }), [
    'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
  ]);
  assert.deepEqual(run('PriorityClass.scheduling.k8s.io', { kind: 'PriorityClass', metadata: { name: 'system-mine' }, value: 1 }), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
  ]);
  assert.deepEqual(runUpdate('PriorityClass.scheduling.k8s.io', { kind: 'PriorityClass', metadata: { name: 'p' }, value: 2 }, { kind: 'PriorityClass', metadata: { name: 'p' }, value: 1 }), [
    'value: Forbidden: may not be changed in an update.',
  ]);
  assert.deepEqual(runUpdate('RuntimeClass.node.k8s.io', { kind: 'RuntimeClass', metadata: meta, handler: 'b' }, { kind: 'RuntimeClass', metadata: meta, handler: 'a' }), [
    'handler: Invalid value: "b": field is immutable',
  ]);
  assert.deepEqual(run('Lease.coordination.k8s.io', { kind: 'Lease', metadata: meta, spec: { leaseDurationSeconds: 0 } }), ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
});

test('CertificateSigningRequest', () => {
  const csr: KubeObject = {
    kind: 'CertificateSigningRequest',
    metadata: { name: 'c' },
    spec: { request: Buffer.from('hello').toString('base64'), signerName: 'example', usages: ['client auth', 'client auth', 'flying'] },
  };
  assert.deepEqual(run('CertificateSigningRequest.certificates.k8s.io', csr), [
    'spec.request: Invalid value: []byte{0x68, 0x65, 0x6c, 0x6c, 0x6f}: PEM block type must be CERTIFICATE REQUEST',
    'spec.usages[2]: Unsupported value: "flying": supported values: "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping"',
    'spec.usages[1]: Duplicate value: "client auth"',
    "spec.signerName: Invalid value: \"example\": must be a fully qualified domain and path of the form 'example.com/signer-name'",
  ]);
});

test('webhook configurations', () => {
  const cfg: KubeObject = {
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'w' },
    webhooks: [{ name: 'hook', clientConfig: {}, admissionReviewVersions: [] }],
  };
  assert.deepEqual(run('ValidatingWebhookConfiguration.admissionregistration.k8s.io', cfg), [
    'webhooks[0].name: Invalid value: "hook": should be a domain with at least three segments separated by dots',
    'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun',
    'webhooks[0].clientConfig: Required value: exactly one of url or service is required',
    'webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1',
  ]);
  const ok: KubeObject = {
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'w' },
    webhooks: [{ name: 'hook.example.com', sideEffects: 'None', admissionReviewVersions: ['v1'], clientConfig: { url: 'http://example.com/x?y=1' } }],
  };
  assert.deepEqual(run('MutatingWebhookConfiguration.admissionregistration.k8s.io', ok), [
    "webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; desired format: https://host[/path]",
    'webhooks[0].clientConfig.url: Invalid value: "y=1": query parameters are not permitted in the URL',
  ]);
});

test('CustomResourceDefinition', () => {
  const crd = (name: string, versions: unknown[]): KubeObject => ({
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' }, versions },
  });
  const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } };
  assert.deepEqual(run('CustomResourceDefinition.apiextensions.k8s.io', crd('widgets.example.com', [{ name: 'v1', served: true, storage: true, schema }])), []);
  assert.deepEqual(run('CustomResourceDefinition.apiextensions.k8s.io', crd('widget.example.com', [{ name: 'v1', served: true, storage: false }])), [
    'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group',
    'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
    'spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:"v1", Served:true, Storage:false, Deprecated:false, DeprecationWarning:(*string)(nil), Schema:(*apiextensions.CustomResourceValidation)(nil), Subresources:(*apiextensions.CustomResourceSubresources)(nil), AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), SelectableFields:[]apiextensions.SelectableField(nil)}}: must have exactly one version marked as storage version',
  ]);
  const untyped = { openAPIV3Schema: { type: 'object', properties: { spec: {} } } };
  assert.deepEqual(run('CustomResourceDefinition.apiextensions.k8s.io', crd('widgets.example.com', [{ name: 'v1', served: true, storage: true, schema: untyped }])), [
    'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
  ]);
});
