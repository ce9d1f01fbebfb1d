// A pod with everything the plugins derive from its spec computed once.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { affinityTermFrom, type AffinityTerm } from './affinity-term.js';
import { podRequests, type Resource } from './resource.js';

export interface PodInfo {
  pod: Pod;
  key: string;
  requests: Resource;
  /** Requests with the scoring defaults filled in for missing cpu/memory. */
  nonZeroRequests: Resource;
  requiredAffinityTerms: AffinityTerm[];
  requiredAntiAffinityTerms: AffinityTerm[];
  preferredAffinityTerms: AffinityTerm[];
  preferredAntiAffinityTerms: AffinityTerm[];
}

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

export function newPodInfo(pod: Pod): PodInfo {
  const affinity = pod.spec?.affinity;
  return {
    pod,
    key: podKey(pod),
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, { nonZero: true }),
    requiredAffinityTerms: (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTermFrom(pod, t)),
    requiredAntiAffinityTerms: (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTermFrom(pod, t)),
    preferredAffinityTerms: (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      affinityTermFrom(pod, t.podAffinityTerm, t.weight),
    ),
    preferredAntiAffinityTerms: (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      affinityTermFrom(pod, t.podAffinityTerm, t.weight),
    ),
  };
}

export function hasAffinityTerms(p: PodInfo): boolean {
  return (
    p.requiredAffinityTerms.length + p.requiredAntiAffinityTerms.length + p.preferredAffinityTerms.length + p.preferredAntiAffinityTerms.length > 0
  );
}

export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}
