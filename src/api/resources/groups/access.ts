// Who may do what: RBAC objects, the create-only review APIs of authentication and
// authorization, and certificate signing requests.
import type { ResourceInfo } from '../types.js';
import { CREATE_ONLY, GET_PATCH_UPDATE, defineGroupVersion, statusSubresource } from './define.js';

export const rbacV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'rbac.authorization.k8s.io',
  'v1',
  { preferred: true },
  [
    { resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
    { resource: 'clusterroles', kind: 'ClusterRole', namespaced: false },
    { resource: 'rolebindings', kind: 'RoleBinding', namespaced: true },
    { resource: 'roles', kind: 'Role', namespaced: true },
  ],
);

// Reviews are answered on POST and never stored. authentication.k8s.io/v1beta1 (the beta
// SelfSubjectReview) is not served by default on v1.32, so only v1 is listed.
export const authenticationV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'authentication.k8s.io',
  'v1',
  { preferred: true },
  [
    { resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: CREATE_ONLY },
    { resource: 'tokenreviews', kind: 'TokenReview', namespaced: false, verbs: CREATE_ONLY },
  ],
);

export const authorizationV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'authorization.k8s.io',
  'v1',
  { preferred: true },
  [
    { resource: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true, verbs: CREATE_ONLY },
    { resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: CREATE_ONLY },
    { resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: CREATE_ONLY },
    { resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false, verbs: CREATE_ONLY },
  ],
);

export const certificatesV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'certificates.k8s.io',
  'v1',
  { preferred: true },
  [
    {
      resource: 'certificatesigningrequests',
      kind: 'CertificateSigningRequest',
      namespaced: false,
      shortNames: ['csr'],
      // approval is how `kubectl certificate approve` writes the Approved condition.
      subresources: [{ name: 'approval', verbs: GET_PATCH_UPDATE }, statusSubresource()],
    },
  ],
);
