// persistentVolumeClaimRetentionPolicy through owner references, as upstream: the garbage
// collector deletes a claim once its owner is gone, so
//   whenDeleted=Delete -> the claim is owned by the set (goes with the set),
//   whenScaled=Delete  -> a claim of a pod scaled away is owned by that pod (goes with the pod),
// and Retain means no reference from us. Claims we find in an unexpected state are left alone.
import type { OwnerReference } from '../common/controller-ref.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../history/types.js';
import { podInOrdinalRange, statefulSetApiVersion, statefulSetKind } from './identity.js';

type Policy = 'Retain' | 'Delete';

export function retentionPolicy(set: StatefulSet): { whenDeleted: Policy; whenScaled: Policy } {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: policy?.whenDeleted === 'Delete' ? 'Delete' : 'Retain', whenScaled: policy?.whenScaled === 'Delete' ? 'Delete' : 'Retain' };
}

interface Owner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

function setOwner(set: StatefulSet): Owner {
  return { apiVersion: statefulSetApiVersion, kind: statefulSetKind, name: set.metadata?.name ?? '', uid: set.metadata?.uid ?? '' };
}

function podOwner(pod: Pod): Owner {
  return { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
}

function refs(claim: PersistentVolumeClaim): OwnerReference[] {
  return (claim.metadata?.ownerReferences ?? []) as OwnerReference[];
}

/** Same kind, apiVersion and name: a reference to this object or to a predecessor of the same name. */
function matchesRef(ref: OwnerReference, owner: Owner): boolean {
  return ref.apiVersion === owner.apiVersion && ref.kind === owner.kind && ref.name === owner.name;
}

function hasOwnerRef(claim: PersistentVolumeClaim, owner: Owner): boolean {
  return refs(claim).some((ref) => ref.uid === owner.uid);
}

/** A reference to an object of this name whose uid differs: its owner was replaced. */
export function hasStaleOwnerRef(claim: PersistentVolumeClaim, owner: Owner): boolean {
  const ref = refs(claim).find((candidate) => matchesRef(candidate, owner));
  return ref !== undefined && ref.uid !== owner.uid;
}

export function hasStalePodRef(claim: PersistentVolumeClaim, pod: Pod): boolean {
  return hasStaleOwnerRef(claim, podOwner(pod));
}

function hasUnexpectedController(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  const policy = retentionPolicy(set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Retain') return false;
  const setRef = setOwner(set);
  const podRef = podOwner(pod);
  for (const ref of refs(claim)) {
    if (matchesRef(ref, setRef)) {
      if (ref.uid !== setRef.uid) return true;
      continue;
    }
    if (matchesRef(ref, podRef)) {
      if (ref.uid !== podRef.uid) return true;
      continue;
    }
    if (ref.controller === true) return true;
  }
  return false;
}

function hasNonControllerOwner(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  return refs(claim).some((ref) => (ref.uid === set.metadata?.uid || ref.uid === pod.metadata?.uid) && ref.controller !== true);
}

/** Upstream's isClaimOwnerUpToDate. */
export function isClaimOwnerUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  const setRef = setOwner(set);
  const podRef = podOwner(pod);
  // Managed by a previous, presumably deleted, set or pod of the same name: not ours to touch.
  if (hasStaleOwnerRef(claim, setRef) || hasStaleOwnerRef(claim, podRef)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, setRef) || hasOwnerRef(claim, podRef));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const policy = retentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  const wantSet = policy.whenDeleted === 'Delete' && (policy.whenScaled === 'Retain' || !scaledDown);
  const wantPod = policy.whenScaled === 'Delete' && scaledDown;
  return hasOwnerRef(claim, setRef) === wantSet && hasOwnerRef(claim, podRef) === wantPod;
}

function controllerRef(owner: Owner): OwnerReference {
  return { ...owner, controller: true, blockOwnerDeletion: true };
}

/** Upstream's updateClaimOwnerRefForSetAndPod: scrub our references, then add what the policy wants. */
export function updateClaimOwnerRefs(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): void {
  const setRef = setOwner(set);
  const podRef = podOwner(pod);
  const unexpected = hasUnexpectedController(claim, set, pod);
  const kept = refs(claim).filter((ref) => !matchesRef(ref, setRef) && !matchesRef(ref, podRef));
  if (!unexpected) {
    const policy = retentionPolicy(set);
    const scaledDown = !podInOrdinalRange(pod, set);
    if (policy.whenScaled === 'Delete' && scaledDown) kept.push(controllerRef(podRef));
    if (policy.whenDeleted === 'Delete' && (policy.whenScaled === 'Retain' || !scaledDown)) kept.push(controllerRef(setRef));
  }
  claim.metadata = { ...claim.metadata, ownerReferences: kept };
}
