// The selector PodTopologySpread's system-default constraints spread by: the pod's Services
// plus its controlling ReplicationController, ReplicaSet or StatefulSet.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject, labelSelectorFromSet, type LabelSelector } from '../../api/selectors/labels.js';
import type { Snapshot } from '../framework/snapshot.js';

export function defaultSpreadSelector(pod: Pod, snapshot: Snapshot): LabelSelector {
  const namespace = pod.metadata?.namespace ?? 'default';
  const podLabels = pod.metadata?.labels ?? {};
  const sameNamespace = <T extends { metadata?: { namespace?: string; name?: string } }>(list: readonly T[] | undefined): T[] =>
    (list ?? []).filter((o) => (o.metadata?.namespace ?? 'default') === namespace);

  let labelSet: Record<string, string> = {};
  for (const svc of sameNamespace(snapshot.objects.services)) {
    const selector = svc.spec?.selector;
    if (!selector) continue;
    if (labelSelectorFromSet(selector).matches(podLabels)) labelSet = { ...labelSet, ...selector };
  }
  let selector = labelSelectorFromSet(labelSet);

  const owner = pod.metadata?.ownerReferences?.find((r) => r.controller);
  if (!owner) return selector;
  const group = owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : '';
  const byName = <T extends { metadata?: { name?: string } }>(list: readonly T[] | undefined): T | undefined =>
    sameNamespace(list as readonly (T & { metadata?: { namespace?: string } })[]).find((o) => o.metadata?.name === owner.name);

  if (group === '' && owner.kind === 'ReplicationController') {
    const rc = byName(snapshot.objects.replicationControllers);
    if (rc) selector = labelSelectorFromSet({ ...labelSet, ...(rc.spec?.selector ?? {}) });
  } else if (group === 'apps' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
    const workload = owner.kind === 'ReplicaSet' ? byName(snapshot.objects.replicaSets) : byName(snapshot.objects.statefulSets);
    if (workload?.spec?.selector) selector = andSelectors(selector, labelSelectorFromObject(workload.spec.selector));
  }
  return selector;
}

/** Both selectors must match; empty only if both are. */
export function andSelectors(a: LabelSelector, b: LabelSelector): LabelSelector {
  if (a.isEmpty()) return b;
  if (b.isEmpty()) return a;
  return {
    matches: (labels) => a.matches(labels) && b.matches(labels),
    isEmpty: () => false,
    selectsNothing: () => a.selectsNothing() || b.selectsNothing(),
    requirements: () => [...a.requirements(), ...b.requirements()],
    toString: () => `${a.toString()},${b.toString()}`,
  };
}
