// JSON shapes of the discovery documents. Field order follows upstream's Go structs so
// JSON.stringify output reads the same as a real kube-apiserver's; optional fields are
// left out entirely when empty, as Go's omitempty does.
import type { Verb } from '../../api/resources/types.js';

// ---- legacy discovery (meta/v1) ----

export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

/** GET /api */
export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
}

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** One entry of GET /apis, and the whole body of GET /apis/<group>. */
export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

/** GET /apis */
export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

/** A resource or "resource/subresource" row of an APIResourceList. */
export interface APIResource {
  name: string;
  /** Empty for subresources, upstream still sends the field. */
  singularName: string;
  namespaced: boolean;
  /** Only when the kind lives in another group version (pods/eviction -> policy/v1). */
  group?: string;
  version?: string;
  kind: string;
  verbs: Verb[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** GET /api/v1 (no apiVersion field upstream) and GET /apis/<group>/<version>. */
export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion?: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

// ---- aggregated discovery (apidiscovery.k8s.io/v2 and v2beta1) ----

export type AggregatedDiscoveryVersion = 'v2' | 'v2beta1';

/** Group and version are "" when the kind belongs to the group version being listed. */
export interface ResponseKind {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: ResponseKind;
  verbs: Verb[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: ResponseKind;
  scope: 'Cluster' | 'Namespaced';
  singularResource: string;
  verbs: Verb[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  /** "Stale" is only reported for aggregated API servers that stopped answering. */
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  /** name is omitted for the core group; creationTimestamp is always null, as upstream sends it. */
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedDiscoveryVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}
