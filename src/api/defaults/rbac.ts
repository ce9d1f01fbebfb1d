// rbac.authorization.k8s.io/v1 defaults: role references and User/Group subjects live in the
// RBAC group unless they say otherwise; ServiceAccount subjects are in the core group ("").
import type { KubeObject } from '../object.js';
import { asJson, ensureObject, objectItems, setIfZero } from './fields.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function setBindingDefaults(obj: KubeObject): void {
  const json = asJson(obj);
  setIfZero(ensureObject(json, 'roleRef'), 'apiGroup', RBAC_GROUP);
  for (const subject of objectItems(json, 'subjects')) {
    if (subject['kind'] === 'User' || subject['kind'] === 'Group') setIfZero(subject, 'apiGroup', RBAC_GROUP);
  }
}

export const rbacDefaulters: Record<string, (obj: KubeObject) => void> = {
  'RoleBinding.rbac.authorization.k8s.io': setBindingDefaults,
  'ClusterRoleBinding.rbac.authorization.k8s.io': setBindingDefaults,
};
