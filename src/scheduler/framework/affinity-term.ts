// Pod (anti-)affinity terms parsed once per pod: which namespaces and labels a term selects and
// the topology key it groups nodes by.
import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/labels.js';

export type NamespaceLabels = ReadonlyMap<string, Readonly<Record<string, string>>>;

export interface AffinityTerm {
  namespaces: ReadonlySet<string>;
  /** undefined when the term has no namespaceSelector. */
  namespaceSelector: LabelSelector | undefined;
  selector: LabelSelector;
  topologyKey: string;
  weight: number;
}

export function affinityTermFrom(pod: Pod, term: PodAffinityTerm, weight = 0): AffinityTerm {
  const namespaces = new Set(term.namespaces ?? []);
  const namespaceSelector = term.namespaceSelector ? labelSelectorFromObject(term.namespaceSelector) : undefined;
  // Neither namespaces nor a namespaceSelector means "the pod's own namespace".
  if (namespaces.size === 0 && !namespaceSelector) namespaces.add(pod.metadata?.namespace ?? 'default');
  return {
    namespaces,
    namespaceSelector,
    selector: labelSelectorFromObject(term.labelSelector),
    topologyKey: term.topologyKey,
    weight,
  };
}

export function affinityTermMatches(term: AffinityTerm, pod: Pod, namespaceLabels: NamespaceLabels): boolean {
  const ns = pod.metadata?.namespace ?? 'default';
  const nsMatches = term.namespaces.has(ns) || (term.namespaceSelector?.matches(namespaceLabels.get(ns) ?? {}) ?? false);
  return nsMatches && term.selector.matches(pod.metadata?.labels ?? {});
}
