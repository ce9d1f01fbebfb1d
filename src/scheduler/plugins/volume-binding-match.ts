// The PV/PVC matching rules VolumeBinding applies per node, as upstream's storage helpers
// (component-helpers/storage/volume): which available PV a WaitForFirstConsumer claim could
// bind to here, and whether a bound PV's node affinity admits the node.
import type { Node, PersistentVolume, PersistentVolumeClaim, TopologySelectorTerm } from 'kubernetes-types/core/v1.js';
import type { CSIStorageCapacity } from 'kubernetes-types/storage/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/labels.js';
import { tryParseQuantity, type Quantity } from '../../api/units/quantity.js';
import { claimStorageClass, volumeStorageClass } from '../framework/cluster-objects.js';
import { nodeSelectorTermsMatch } from '../framework/node-selector.js';

export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** A class with this provisioner has only static volumes (local volumes, typically). */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';

export const claimKey = (pvc: PersistentVolumeClaim): string => `${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}`;

/** Bound and acknowledged by the PV controller; a claim naming a volume without this is still pending. */
export const isClaimFullyBound = (pvc: PersistentVolumeClaim): boolean =>
  !!pvc.spec?.volumeName && pvc.metadata?.annotations?.[ANN_BIND_COMPLETED] !== undefined;

export function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata?.name || ref.namespace !== pvc.metadata?.namespace) return false;
  return !ref.uid || ref.uid === pvc.metadata?.uid;
}

/** null when the PV may be used on a node with these labels, else the reason. */
export function checkNodeAffinity(pv: PersistentVolume, nodeLabels: Readonly<Record<string, string>>): string | null {
  const required = pv.spec?.nodeAffinity?.required;
  if (!required) return null;
  // Upstream matches against a node carrying only the labels, so matchFields never match.
  const node: Node = { metadata: { labels: { ...nodeLabels } } };
  return nodeSelectorTermsMatch(required.nodeSelectorTerms ?? [], node) ? null : 'no matching NodeSelectorTerms';
}

/** A StorageClass's allowedTopologies: no terms admit every node; an empty term admits none. */
export function matchTopologySelectorTerms(terms: readonly TopologySelectorTerm[] | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((term) => {
    const expressions = term.matchLabelExpressions ?? [];
    if (expressions.length === 0) return false;
    return expressions.every((e) => labels[e.key] !== undefined && e.values.includes(labels[e.key]!));
  });
}

export function claimRequestedStorage(pvc: PersistentVolumeClaim): Quantity | undefined {
  return tryParseQuantity(pvc.spec?.resources?.requests?.storage);
}

const volumeCapacity = (pv: PersistentVolume): Quantity | undefined => tryParseQuantity(pv.spec?.capacity?.storage);

/** Every access mode the claim asks for must be offered by the volume. */
export function checkAccessModes(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const offered = new Set(pv.spec?.accessModes ?? []);
  return (pvc.spec?.accessModes ?? []).every((m) => offered.has(m));
}

const volumeModeMismatch = (pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean =>
  (pvc.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');

function safeSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  try {
    return labelSelectorFromObject(selector).matches(labels);
  } catch {
    return false;
  }
}

/**
 * The PV a claim would bind to on `node`: one already pre-bound to the claim (if its node
 * affinity admits the node), else the smallest Available PV of the claim's class that is big
 * enough, matches the claim's selector, access modes and volume mode, and admits the node.
 * `excluded` holds PVs already chosen for the pod's other claims.
 */
export function findMatchingVolume(
  pvc: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  node: Node,
  excluded: ReadonlySet<string>,
): PersistentVolume | undefined {
  // Volume attributes classes are beta and off by default in v1.32: such claims never match.
  if (pvc.spec?.volumeAttributesClassName) return undefined;
  const requested = claimRequestedStorage(pvc)?.nanos ?? 0n;
  const requestedClass = claimStorageClass(pvc);
  const nodeLabels = node.metadata?.labels ?? {};
  let smallest: { pv: PersistentVolume; size: bigint } | undefined;
  for (const pv of volumes) {
    if (excluded.has(pv.metadata?.name ?? '')) continue;
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, pvc)) continue;
    const size = volumeCapacity(pv)?.nanos ?? 0n;
    if (size < requested) continue;
    if (volumeModeMismatch(pvc, pv)) continue;
    if (pv.spec?.volumeAttributesClassName) continue;
    if (pv.metadata?.deletionTimestamp) continue;
    const affinityOk = checkNodeAffinity(pv, nodeLabels) === null;
    if (isVolumeBoundToClaim(pv, pvc)) return affinityOk ? pv : undefined;
    if (pv.status?.phase !== 'Available') continue;
    if (pvc.spec?.selector && !safeSelectorMatches(pvc.spec.selector, pv.metadata?.labels ?? {})) continue;
    if (volumeStorageClass(pv) !== requestedClass) continue;
    if (!affinityOk) continue;
    if (!checkAccessModes(pvc, pv)) continue;
    if (!smallest || smallest.size > size) smallest = { pv, size };
  }
  return smallest?.pv;
}

/** Smallest request first, so small claims do not take the big volumes big claims need. */
export function sortClaimsBySize(claims: readonly PersistentVolumeClaim[]): PersistentVolumeClaim[] {
  const size = (c: PersistentVolumeClaim): bigint => claimRequestedStorage(c)?.nanos ?? 0n;
  return [...claims].sort((a, b) => (size(a) < size(b) ? -1 : size(a) > size(b) ? 1 : 0));
}

/** A CSIStorageCapacity object that offers `bytes` for the class, reachable from the node. */
export function capacityAvailable(
  capacities: readonly CSIStorageCapacity[],
  className: string,
  bytes: bigint,
  nodeLabels: Readonly<Record<string, string>>,
): boolean {
  return capacities.some((c) => {
    if (c.storageClassName !== className) return false;
    // MaximumVolumeSize is the more precise limit when the driver reports it.
    const limit = tryParseQuantity(c.maximumVolumeSize ?? c.capacity);
    if (!limit || limit.value() < bytes) return false;
    // Unset topology means the capacity is available nowhere.
    return c.nodeTopology !== undefined && safeSelectorMatches(c.nodeTopology, nodeLabels);
  });
}
