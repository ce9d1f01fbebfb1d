// Every-kind e2e cases: admissionregistration, apiextensions and apiregistration.
import assert from 'node:assert/strict';
import { NS, header, AGE, CREATED_AT, row, webhook, assertWebhookDefaults, type KindCase } from './cases.js';

export const extensionCases: KindCase[] = [
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
];
