// A StatefulSet pod's stable identity (upstream's stateful_set_utils.go): the name
// "<set>-<ordinal>", hostname and subdomain, the pod-name and pod-index labels, and volumes bound
// to its own claims "<template>-<set>-<ordinal>".
import { podFromTemplate } from '../common/pod-template.js';
import { newControllerRef } from '../common/controller-ref.js';
import { controllerRevisionHashLabel } from '../history/revision.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../history/types.js';

export const statefulSetPodNameLabel = 'statefulset.kubernetes.io/pod-name';
/** PodIndexLabel (beta and on by default since 1.28). */
export const podIndexLabel = 'apps.kubernetes.io/pod-index';
export const statefulSetApiVersion = 'apps/v1';
export const statefulSetKind = 'StatefulSet';

const statefulPodPattern = /^(.*)-([0-9]+)$/;
/** Go's ParseInt(…, 10, 32) bound: a larger suffix is no ordinal. */
const ordinalMax = 2 ** 31 - 1;

export function parentNameAndOrdinal(pod: Pod): { parent: string; ordinal: number } {
  const match = statefulPodPattern.exec(pod.metadata?.name ?? '');
  if (!match) return { parent: '', ordinal: -1 };
  const ordinal = Number(match[2]);
  return { parent: match[1] ?? '', ordinal: ordinal <= ordinalMax ? ordinal : -1 };
}

export function ordinalOf(pod: Pod): number {
  return parentNameAndOrdinal(pod).ordinal;
}

export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function replicasOf(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

/** Whether the pod's ordinal is within [start, start + replicas). */
export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const ordinal = ordinalOf(pod);
  return ordinal >= startOrdinal(set) && ordinal < startOrdinal(set) + replicasOf(set);
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name}-${ordinal}`;
}

export function claimName(set: StatefulSet, templateName: string, ordinal: number): string {
  return `${templateName}-${set.metadata?.name}-${ordinal}`;
}

export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentNameAndOrdinal(pod).parent === set.metadata?.name;
}

export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentNameAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    pod.metadata?.name === podName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[statefulSetPodNameLabel] === pod.metadata?.name
  );
}

export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((volume) => [volume.name, volume]));
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const name = template.metadata?.name ?? '';
    const volume = volumes.get(name);
    if (volume?.persistentVolumeClaim?.claimName !== claimName(set, name, ordinal)) return false;
  }
  return true;
}

/** The claims a pod of the set uses, in template order; labelled with the set's matchLabels. */
export function claimsFor(set: StatefulSet, pod: Pod): { templateName: string; claim: PersistentVolumeClaim }[] {
  const ordinal = ordinalOf(pod);
  const matchLabels = set.spec?.selector?.matchLabels ?? {};
  return (set.spec?.volumeClaimTemplates ?? []).map((template) => {
    const claim = structuredClone(template) as PersistentVolumeClaim;
    const templateName = template.metadata?.name ?? '';
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = { ...claim.metadata, name: claimName(set, templateName, ordinal), namespace: set.metadata?.namespace, labels: { ...(claim.metadata?.labels ?? {}), ...matchLabels } };
    delete claim.status;
    return { templateName, claim };
  });
}

export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = ordinalOf(pod);
  pod.metadata = { ...pod.metadata, name: podName(set, ordinal), namespace: set.metadata?.namespace };
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [statefulSetPodNameLabel]: pod.metadata.name ?? '', [podIndexLabel]: String(ordinal) };
}

/** Volumes for every claim template first (replacing same-named ones), then the pod's other volumes. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = claimsFor(set, pod);
  const templateNames = new Set(claims.map(({ templateName }) => templateName));
  const volumes = claims.map(({ templateName, claim }) => ({ name: templateName, persistentVolumeClaim: { claimName: claim.metadata?.name ?? '' } }));
  pod.spec ??= { containers: [] };
  pod.spec.volumes = [...volumes, ...(pod.spec.volumes ?? []).filter((volume) => !templateNames.has(volume.name))];
}

export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const ref = newControllerRef(set, statefulSetApiVersion, statefulSetKind);
  const pod = podFromTemplate(set.spec?.template as never, set.metadata?.namespace ?? '', `${set.metadata?.name}-`, ref) as unknown as Pod;
  pod.metadata = { ...pod.metadata, name: podName(set, ordinal) };
  updateIdentity(set, pod);
  // Hostname and subdomain are immutable: set only when the pod is created.
  pod.spec ??= { containers: [] };
  pod.spec.hostname = pod.metadata.name;
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  return pod;
}

export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata = { ...pod.metadata, labels: { ...(pod.metadata?.labels ?? {}), [controllerRevisionHashLabel]: revision } };
}

export function podRevision(pod: Pod): string {
  return pod.metadata?.labels?.[controllerRevisionHashLabel] ?? '';
}

/**
 * Upstream's newVersionedStatefulSetPod: ordinals below the partition (or, without a rollingUpdate
 * block, below currentReplicas) keep the current revision; the rest get the update revision.
 * The condition reproduces upstream's operator precedence exactly.
 */
export function newVersionedStatefulSetPod(currentSet: StatefulSet, updateSet: StatefulSet, currentRevision: string, updateRevision: string, ordinal: number): Pod {
  const strategy = currentSet.spec?.updateStrategy;
  const start = startOrdinal(currentSet);
  const keepCurrent =
    (strategy?.type === 'RollingUpdate' && strategy.rollingUpdate == null && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (strategy?.rollingUpdate != null && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(keepCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, keepCurrent ? currentRevision : updateRevision);
  return pod;
}

export const isCreated = (pod: Pod): boolean => (pod.status?.phase ?? '') !== '';
export const isPending = (pod: Pod): boolean => pod.status?.phase === 'Pending';
export const isFailed = (pod: Pod): boolean => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: Pod): boolean => pod.status?.phase === 'Succeeded';
export const isTerminating = (pod: Pod): boolean => pod.metadata?.deletionTimestamp != null;
