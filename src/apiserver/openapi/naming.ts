// Upstream's operation ids and tags: "listAppsV1NamespacedDeployment", tag "apps_v1".

/** "apps" -> "AppsV1"; "rbac.authorization.k8s.io" -> "RbacAuthorizationV1"; core -> "CoreV1". */
export function groupVersionIdentifier(group: string, version: string): string {
  const base = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  const words = base.split('.').map(capitalize);
  return words.join('') + capitalize(version);
}

/** "apps" -> "apps_v1"; "rbac.authorization.k8s.io" -> "rbacAuthorization_v1"; core -> "core_v1". */
export function groupVersionTag(group: string, version: string): string {
  const base = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  const [first = '', ...rest] = base.split('.');
  return first + rest.map(capitalize).join('') + '_' + version;
}

/** The group's own tag (for /apis/<group>/): "apps", "rbacAuthorization", "core". */
export function groupTag(group: string): string {
  const base = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  const [first = '', ...rest] = base.split('.');
  return first + rest.map(capitalize).join('');
}

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** URL prefix of a group version: "/api/v1" or "/apis/apps/v1". */
export function groupVersionPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** The key a group version has in the /openapi/v3 index: "api/v1", "apis/apps/v1". */
export function groupVersionIndexPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}
