// Where objects live in the store. Built-in resources use upstream's /registry/<resource>/ layout
// (so `etcdctl get --prefix /registry/` reads like a kubeadm cluster's); resources of other
// groups that could collide (custom resources) add their group.
export interface StorageLocation {
  group: string;
  resource: string;
  namespaced: boolean;
  /** Custom resources are stored under their group. */
  qualifyWithGroup?: boolean;
}

export function resourcePrefix(location: StorageLocation): string {
  return location.qualifyWithGroup && location.group ? `/registry/${location.group}/${location.resource}/` : `/registry/${location.resource}/`;
}

export function namespacePrefix(location: StorageLocation, namespace: string): string {
  return location.namespaced && namespace ? `${resourcePrefix(location)}${namespace}/` : resourcePrefix(location);
}

export function objectKey(location: StorageLocation, namespace: string, name: string): string {
  return location.namespaced ? `${resourcePrefix(location)}${namespace}/${name}` : `${resourcePrefix(location)}${name}`;
}
