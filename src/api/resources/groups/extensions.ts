// Groups that extend or guard the API server itself: admission configuration, CRDs,
// aggregated APIServices and API priority & fairness. Everything that changes the API
// surface carries the "api-extensions" category, as upstream does.
import type { ResourceInfo } from '../types.js';
import { defineGroupVersion, statusSubresource } from './define.js';

const API_EXTENSIONS = ['api-extensions'] as const;

export const admissionregistrationV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'admissionregistration.k8s.io',
  'v1',
  { preferred: true },
  [
    {
      resource: 'mutatingwebhookconfigurations',
      kind: 'MutatingWebhookConfiguration',
      namespaced: false,
      categories: API_EXTENSIONS,
    },
    {
      resource: 'validatingadmissionpolicies',
      kind: 'ValidatingAdmissionPolicy',
      namespaced: false,
      categories: API_EXTENSIONS,
      subresources: [statusSubresource()],
    },
    {
      resource: 'validatingadmissionpolicybindings',
      kind: 'ValidatingAdmissionPolicyBinding',
      namespaced: false,
      categories: API_EXTENSIONS,
    },
    {
      resource: 'validatingwebhookconfigurations',
      kind: 'ValidatingWebhookConfiguration',
      namespaced: false,
      categories: API_EXTENSIONS,
    },
  ],
);

export const apiextensionsV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'apiextensions.k8s.io',
  'v1',
  { preferred: true },
  [
    {
      resource: 'customresourcedefinitions',
      kind: 'CustomResourceDefinition',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: API_EXTENSIONS,
      subresources: [statusSubresource()],
    },
  ],
);

export const apiregistrationV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'apiregistration.k8s.io',
  'v1',
  { preferred: true },
  [
    {
      resource: 'apiservices',
      kind: 'APIService',
      namespaced: false,
      categories: API_EXTENSIONS,
      subresources: [statusSubresource()],
    },
  ],
);

// v1beta3 stopped being served in v1.32, leaving v1 as the only version.
export const flowcontrolV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'flowcontrol.apiserver.k8s.io',
  'v1',
  { preferred: true },
  [
    { resource: 'flowschemas', kind: 'FlowSchema', namespaced: false, subresources: [statusSubresource()] },
    {
      resource: 'prioritylevelconfigurations',
      kind: 'PriorityLevelConfiguration',
      namespaced: false,
      subresources: [statusSubresource()],
    },
  ],
);
