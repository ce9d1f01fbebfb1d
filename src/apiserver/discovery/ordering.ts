// Arranges a flat list of ResourceInfo into groups and versions in the order upstream
// discovery lists them, so built-ins and (later) custom resources share one code path.
import type { ResourceInfo } from '../../api/resources/types.js';
import { builtinGroupOrder } from '../../api/resources/catalog.js';

export interface VersionResources {
  version: string;
  /** Sorted by resource name, as upstream lists them. */
  resources: ResourceInfo[];
}

export interface GroupResources {
  group: string;
  /** Preferred version first, the rest by Kubernetes version priority. */
  versions: VersionResources[];
  preferredVersion: string;
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Higher is more preferred: GA over beta over alpha, then by major, then by pre-release number. */
function versionRank(version: string): [number, number, number] | undefined {
  const match = KUBE_VERSION.exec(version);
  if (!match) return undefined;
  const stability = match[2] === undefined ? 3 : match[2] === 'beta' ? 2 : 1;
  return [stability, Number(match[1]), Number(match[3] ?? 0)];
}

/**
 * Upstream's kube-aware version ordering: v2 > v1 > v2beta1 > v1beta2 > v1beta1 > v1alpha1,
 * and versions not shaped like that come last in plain string order. Negative means a first.
 */
export function compareVersionPriority(a: string, b: string): number {
  const rankA = versionRank(a);
  const rankB = versionRank(b);
  if (rankA && rankB) {
    for (let i = 0; i < 3; i++) {
      const diff = (rankB[i] ?? 0) - (rankA[i] ?? 0);
      if (diff !== 0) return diff;
    }
    return 0;
  }
  if (rankA) return -1;
  if (rankB) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Built-in groups keep upstream's fixed order; any other group follows, alphabetically. */
export function compareGroupPriority(a: string, b: string): number {
  const indexA = builtinGroupOrder.indexOf(a);
  const indexB = builtinGroupOrder.indexOf(b);
  if (indexA >= 0 && indexB >= 0) return indexA - indexB;
  if (indexA >= 0) return -1;
  if (indexB >= 0) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups the resources by group and version, every level in upstream's order. */
export function arrangeByGroup(resources: readonly ResourceInfo[]): GroupResources[] {
  const groups = new Map<string, Map<string, ResourceInfo[]>>();
  const flaggedPreferred = new Map<string, string>();
  for (const info of resources) {
    const versions = groups.get(info.group) ?? new Map<string, ResourceInfo[]>();
    groups.set(info.group, versions);
    const list = versions.get(info.version) ?? [];
    versions.set(info.version, list);
    list.push(info);
    if (info.preferredVersion === true) flaggedPreferred.set(info.group, info.version);
  }

  const arranged: GroupResources[] = [];
  for (const [group, versions] of groups) {
    const byPriority = [...versions.keys()].sort(compareVersionPriority);
    // An explicit preferredVersion flag wins (autoscaling keeps v2 ahead of v1 by flag, too);
    // otherwise the highest-priority version is preferred, as for CRDs.
    const preferred = flaggedPreferred.get(group) ?? byPriority[0] ?? '';
    const ordered = [preferred, ...byPriority.filter((version) => version !== preferred)];
    arranged.push({
      group,
      preferredVersion: preferred,
      versions: ordered.map((version) => ({
        version,
        resources: [...(versions.get(version) ?? [])].sort((a, b) => compareNames(a.resource, b.resource)),
      })),
    });
  }
  return arranged.sort((a, b) => compareGroupPriority(a.group, b.group));
}

/** The resources of one group version in listing order, or undefined when it is not served. */
export function resourcesOfGroupVersion(
  resources: readonly ResourceInfo[],
  group: string,
  version: string,
): ResourceInfo[] | undefined {
  const matching = resources.filter((info) => info.group === group && info.version === version);
  if (matching.length === 0) return undefined;
  return matching.sort((a, b) => compareNames(a.resource, b.resource));
}
