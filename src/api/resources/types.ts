// What the API server knows about one served resource: enough to route requests,
// answer discovery and name things in messages, exactly as `kubectl api-resources` shows them.

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface SubresourceInfo {
  /** "status", "scale", "binding", "eviction", "log", "exec", "attach", "portforward", "proxy", "token", "ephemeralcontainers", "resize", "finalize", "approval". */
  name: string;
  /** Group, version and kind of the object sent to / returned by the subresource (Scale is autoscaling/v1). */
  group: string;
  version: string;
  kind: string;
  verbs: readonly Verb[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower-case: "deployments". */
  resource: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly Verb[];
  shortNames: readonly string[];
  categories: readonly string[];
  subresources: readonly SubresourceInfo[];
  /**
   * Where the objects are kept when it is not this group/version/resource: autoscaling/v1
   * HorizontalPodAutoscalers are stored as autoscaling/v2, events.k8s.io Events as core Events.
   */
  storage?: { group: string; version: string; resource: string };
  /** True for the preferred version of its group (discovery lists it first). */
  preferredVersion?: boolean;
}
