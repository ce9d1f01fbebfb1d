// Every built-in resource a stock (kubeadm) v1.32 kube-apiserver serves, in the order
// upstream's /apis lists the groups, plus lookups used by routing and discovery.
import type { ResourceInfo, SubresourceInfo } from './types.js';
import { coreV1Resources } from './groups/core.js';
import {
  appsV1Resources,
  autoscalingV1Resources,
  autoscalingV2Resources,
  batchV1Resources,
  policyV1Resources,
} from './groups/workloads.js';
import {
  authenticationV1Resources,
  authorizationV1Resources,
  certificatesV1Resources,
  rbacV1Resources,
} from './groups/access.js';
import {
  coordinationV1Resources,
  discoveryV1Resources,
  eventsV1Resources,
  networkingV1Resources,
  nodeV1Resources,
  schedulingV1Resources,
  storageV1Resources,
} from './groups/cluster.js';
import {
  admissionregistrationV1Resources,
  apiextensionsV1Resources,
  apiregistrationV1Resources,
  flowcontrolV1Resources,
} from './groups/extensions.js';

/**
 * Group names in the order upstream lists them: "" (served at /api) first, then /apis order,
 * which kube-aggregator derives from its fixed per-group priorities. Within a group the
 * preferred version comes first (autoscaling: v2 then v1).
 */
export const builtinGroupOrder: readonly string[] = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

export const builtinResources: readonly ResourceInfo[] = [
  ...coreV1Resources,
  ...apiregistrationV1Resources,
  ...appsV1Resources,
  ...eventsV1Resources,
  ...authenticationV1Resources,
  ...authorizationV1Resources,
  ...autoscalingV2Resources,
  ...autoscalingV1Resources,
  ...batchV1Resources,
  ...certificatesV1Resources,
  ...networkingV1Resources,
  ...policyV1Resources,
  ...rbacV1Resources,
  ...storageV1Resources,
  ...admissionregistrationV1Resources,
  ...apiextensionsV1Resources,
  ...schedulingV1Resources,
  ...coordinationV1Resources,
  ...nodeV1Resources,
  ...discoveryV1Resources,
  ...flowcontrolV1Resources,
];

export interface GroupVersion {
  group: string;
  version: string;
}

const byGroupVersionResource = new Map<string, ResourceInfo>();
const byGroupVersionKind = new Map<string, ResourceInfo>();
const byGroupKind = new Map<string, ResourceInfo[]>();
for (const info of builtinResources) {
  byGroupVersionResource.set(`${info.group}/${info.version}/${info.resource}`, info);
  byGroupVersionKind.set(`${info.group}/${info.version}/${info.kind}`, info);
  const sameKind = byGroupKind.get(`${info.group}/${info.kind}`) ?? [];
  sameKind.push(info);
  byGroupKind.set(`${info.group}/${info.kind}`, sameKind);
}
// Callers of resourcesForKind want the preferred version first (what kubectl would pick).
for (const infos of byGroupKind.values()) {
  infos.sort((a, b) => Number(b.preferredVersion === true) - Number(a.preferredVersion === true));
}

/** The built-in resource served at /api[s]/<group>/<version>/<resource>, e.g. ("apps", "v1", "deployments"). */
export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return byGroupVersionResource.get(`${group}/${version}/${resource}`);
}

/** A subresource of a built-in resource, e.g. ("apps", "v1", "deployments", "scale"). */
export function findSubresource(
  group: string,
  version: string,
  resource: string,
  subresource: string,
): { resource: ResourceInfo; subresource: SubresourceInfo } | undefined {
  const info = findResource(group, version, resource);
  const sub = info?.subresources.find((candidate) => candidate.name === subresource);
  return info && sub ? { resource: info, subresource: sub } : undefined;
}

/** The resource that serves objects of apiVersion group/version and this kind. */
export function findResourceForKind(group: string, version: string, kind: string): ResourceInfo | undefined {
  return byGroupVersionKind.get(`${group}/${version}/${kind}`);
}

/** Every served version of a kind in one group, preferred version first. */
export function resourcesForKind(group: string, kind: string): readonly ResourceInfo[] {
  return byGroupKind.get(`${group}/${kind}`) ?? [];
}

/**
 * All served group versions, core v1 first, then groups in /apis order and each group's
 * versions preferred-first, as the legacy APIGroupList lists them.
 */
export function groupVersions(): readonly GroupVersion[] {
  const seen = new Set<string>();
  const ordered: GroupVersion[] = [];
  for (const group of builtinGroupOrder) {
    const inGroup = builtinResources.filter((info) => info.group === group);
    const preferredFirst = [...inGroup].sort(
      (a, b) => Number(b.preferredVersion === true) - Number(a.preferredVersion === true),
    );
    for (const info of preferredFirst) {
      const key = `${info.group}/${info.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ordered.push({ group: info.group, version: info.version });
    }
  }
  return ordered;
}

/** The version clients should use for a built-in group, e.g. "v2" for autoscaling. */
export function preferredVersionOf(group: string): string | undefined {
  return builtinResources.find((info) => info.group === group && info.preferredVersion === true)?.version;
}
