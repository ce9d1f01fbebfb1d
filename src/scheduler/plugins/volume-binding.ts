// VolumeBinding: a pod's PersistentVolumeClaims decide where it may run.
// PreFilter: every claim exists; claims with Immediate binding must already be bound.
// Filter: bound PVs' node affinity admits the node; each WaitForFirstConsumer claim finds an
// Available PV usable from the node, or its class can provision there.
// Reserve/Unreserve: the chosen PVs and claims are assumed so later pods do not take them.
// PreBind: writes the PV claimRefs and the claims' selected-node annotation, then waits for the
// PV controller (or provisioner) to finish the binding, as upstream's volume binder.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import {
  claimStorageClass, EMPTY_CLUSTER_OBJECTS, ephemeralClaimOwnershipError, podClaims, volumeStorageClass, type ClusterObjects,
} from '../framework/cluster-objects.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, PreBindPlugin, PreFilterPlugin, ReservePlugin } from '../framework/interface.js';
import { Status } from '../framework/status.js';
import {
  ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, capacityAvailable, checkNodeAffinity, claimKey, claimRequestedStorage, findMatchingVolume,
  isClaimFullyBound, isVolumeBoundToClaim, matchTopologySelectorTerms, NOT_SUPPORTED_PROVISIONER, sortClaimsBySize,
} from './volume-binding-match.js';

export const NAME = 'VolumeBinding';
const STATE_KEY = NAME;

export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NOT_ENOUGH_SPACE = 'node(s) did not have enough free storage';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';

export const DEFAULT_BIND_TIMEOUT_SECONDS = 600;
/** Upstream polls the informer caches once a second while waiting for a binding to complete. */
const DEFAULT_BIND_POLL_INTERVAL_MS = 1000;

export interface VolumeBindingArgs {
  bindTimeoutSeconds?: number;
  /** Only read with the (alpha, off) VolumeCapacityPriority feature; accepted and ignored. */
  shape?: { utilization: number; score: number }[];
}

/** Not part of the configuration API: lets tests poll faster. */
interface VolumeBindingOptions extends VolumeBindingArgs {
  pollIntervalMs?: number;
}

interface PodVolumeClaims {
  bound: PersistentVolumeClaim[];
  unboundDelayBinding: PersistentVolumeClaim[];
  /** Storage class -> the PVs a WaitForFirstConsumer claim of that class may bind to. */
  unboundVolumesDelayBinding: Map<string, PersistentVolume[]>;
}

interface StaticBinding {
  pv: PersistentVolume;
  pvc: PersistentVolumeClaim;
}

interface PodVolumes {
  staticBindings: StaticBinding[];
  dynamicProvisions: PersistentVolumeClaim[];
}

interface StateData {
  claims?: PodVolumeClaims;
  podVolumesByNode: Map<string, PodVolumes>;
  allBound: boolean;
}

const errMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Go's CompareResourceVersion for the integer versions k8ts hands out; unknown compares equal. */
function olderThan(cached: { metadata?: { resourceVersion?: string } }, written: { metadata?: { resourceVersion?: string } }): boolean {
  const a = Number(cached.metadata?.resourceVersion);
  const b = Number(written.metadata?.resourceVersion);
  return Number.isFinite(a) && Number.isFinite(b) && a < b;
}

/** The PV with its claimRef pointing at the claim, as upstream's GetBindVolumeToClaim. */
export function bindVolumeToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): { pv: PersistentVolume; dirty: boolean } {
  const alreadyBound = isVolumeBoundToClaim(pv, pvc);
  const ref = pv.spec?.claimRef;
  let clone: PersistentVolume = { ...pv, metadata: { ...pv.metadata }, spec: { ...pv.spec } };
  let dirty = false;
  if (!ref || ref.name !== pvc.metadata?.name || ref.namespace !== pvc.metadata?.namespace || ref.uid !== pvc.metadata?.uid) {
    clone.spec!.claimRef = {
      kind: 'PersistentVolumeClaim',
      namespace: pvc.metadata?.namespace,
      name: pvc.metadata?.name,
      uid: pvc.metadata?.uid,
      apiVersion: 'v1',
      resourceVersion: pvc.metadata?.resourceVersion,
    };
    dirty = true;
  }
  if (!alreadyBound && clone.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
    clone = { ...clone, metadata: { ...clone.metadata, annotations: { ...clone.metadata?.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' } } };
    dirty = true;
  }
  return { pv: clone, dirty };
}

export function newVolumeBinding(rawArgs?: unknown, handle?: { clusterObjects: ClusterObjects }): PreFilterPlugin & FilterPlugin & ReservePlugin & PreBindPlugin {
  const args = (rawArgs ?? {}) as VolumeBindingOptions;
  const bindTimeoutMs = (args.bindTimeoutSeconds ?? DEFAULT_BIND_TIMEOUT_SECONDS) * 1000;
  const pollIntervalMs = args.pollIntervalMs ?? DEFAULT_BIND_POLL_INTERVAL_MS;
  const objects = (): ClusterObjects => handle?.clusterObjects ?? EMPTY_CLUSTER_OBJECTS;

  // What this scheduler has reserved but the informers may not show yet (upstream's assume cache).
  const assumedPVs = new Map<string, PersistentVolume>();
  const assumedPVCs = new Map<string, PersistentVolumeClaim>();
  const getPV = (name: string): PersistentVolume | undefined => assumedPVs.get(name) ?? objects().persistentVolume(name);
  const getPVC = (ns: string, name: string): PersistentVolumeClaim | undefined => assumedPVCs.get(`${ns}/${name}`) ?? objects().persistentVolumeClaim(ns, name);
  const listPVs = (className: string): PersistentVolume[] =>
    objects()
      .persistentVolumes()
      .map((pv) => assumedPVs.get(pv.metadata?.name ?? '') ?? pv)
      .filter((pv) => volumeStorageClass(pv) === className);

  /** WaitForFirstConsumer class, Immediate (or no/unknown class), or an error message. */
  function isDelayBinding(pvc: PersistentVolumeClaim): boolean | string {
    const className = claimStorageClass(pvc);
    if (!className) return false;
    const sc = objects().storageClass(className);
    if (!sc) return false;
    if (!sc.volumeBindingMode) return `VolumeBindingMode not set for StorageClass "${className}"`;
    return sc.volumeBindingMode === 'WaitForFirstConsumer';
  }

  /** Rejects pods whose claims are missing, lost, deleted or (ephemeral) owned by another pod. */
  function checkClaimsExist(pod: Pod): { claims: PersistentVolumeClaim[] } | Status {
    const ns = pod.metadata?.namespace ?? '';
    const claims: PersistentVolumeClaim[] = [];
    for (const ref of podClaims(pod)) {
      const pvc = objects().persistentVolumeClaim(ns, ref.claimName);
      if (!pvc) {
        return Status.unresolvable(
          ref.ephemeral
            ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${ref.claimName}"`
            : `persistentvolumeclaim "${ref.claimName}" not found`,
        );
      }
      if (pvc.status?.phase === 'Lost') {
        return Status.unresolvable(`persistentvolumeclaim "${ref.claimName}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ''}"`);
      }
      if (pvc.metadata?.deletionTimestamp) return Status.unresolvable(`persistentvolumeclaim "${ref.claimName}" is being deleted`);
      if (ref.ephemeral) {
        const err = ephemeralClaimOwnershipError(pod, pvc);
        if (err) return Status.unresolvable(err);
      }
      claims.push(assumedPVCs.get(claimKey(pvc)) ?? pvc);
    }
    return { claims };
  }

  function checkBoundClaims(claims: readonly PersistentVolumeClaim[], nodeLabels: Readonly<Record<string, string>>): { satisfied: boolean; pvsFound: boolean } {
    for (const pvc of claims) {
      const pv = getPV(pvc.spec?.volumeName ?? '');
      if (!pv) return { satisfied: true, pvsFound: false };
      if (checkNodeAffinity(pv, nodeLabels) !== null) return { satisfied: false, pvsFound: true };
    }
    return { satisfied: true, pvsFound: true };
  }

  type ProvisionCheck = { satisfied: boolean; sufficientStorage: boolean; provisions: PersistentVolumeClaim[] } | { error: string };

  function checkVolumeProvisions(claims: readonly PersistentVolumeClaim[], nodeLabels: Readonly<Record<string, string>>): ProvisionCheck {
    const provisions: PersistentVolumeClaim[] = [];
    for (const claim of claims) {
      const className = claimStorageClass(claim);
      if (!className) return { error: `no class for claim "${claimKey(claim)}"` };
      const sc = objects().storageClass(className);
      if (!sc) return { error: `failed to find storage class "${className}"` };
      if (!sc.provisioner || sc.provisioner === NOT_SUPPORTED_PROVISIONER) return { satisfied: false, sufficientStorage: true, provisions: [] };
      if (!matchTopologySelectorTerms(sc.allowedTopologies, nodeLabels)) return { satisfied: false, sufficientStorage: true, provisions: [] };
      if (!hasEnoughCapacity(sc.provisioner, claim, className, nodeLabels)) return { satisfied: true, sufficientStorage: false, provisions: [] };
      provisions.push(claim);
    }
    return { satisfied: true, sufficientStorage: true, provisions };
  }

  /** Only drivers that publish CSIStorageCapacity (CSIDriver spec.storageCapacity) are checked. */
  function hasEnoughCapacity(provisioner: string, claim: PersistentVolumeClaim, className: string, nodeLabels: Readonly<Record<string, string>>): boolean {
    const requested = claimRequestedStorage(claim);
    if (!requested) return true;
    const driver = objects().csiDriver(provisioner);
    if (!driver?.spec?.storageCapacity) return true;
    return capacityAvailable(objects().csiStorageCapacities?.() ?? [], className, requested.value(), nodeLabels);
  }

  /** Upstream's FindPodVolumes: conflict reasons for this node, or the bindings to make there. */
  function findPodVolumes(claims: PodVolumeClaims, nodeName: string, nodeLabels: Readonly<Record<string, string>>): { reasons: string[]; podVolumes: PodVolumes } | { error: string } {
    const podVolumes: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
    let boundSatisfied = true;
    let pvsFound = true;
    let unboundSatisfied = true;
    let sufficientStorage = true;
    const reasons = (): string[] => [
      ...(boundSatisfied ? [] : [ERR_REASON_NODE_CONFLICT]),
      ...(unboundSatisfied ? [] : [ERR_REASON_BIND_CONFLICT]),
      ...(sufficientStorage ? [] : [ERR_REASON_NOT_ENOUGH_SPACE]),
      ...(pvsFound ? [] : [ERR_REASON_PV_NOT_EXIST]),
    ];

    if (claims.bound.length > 0) ({ satisfied: boundSatisfied, pvsFound } = checkBoundClaims(claims.bound, nodeLabels));
    if (claims.unboundDelayBinding.length === 0) return { reasons: reasons(), podVolumes };

    const toMatch: PersistentVolumeClaim[] = [];
    const toProvision: PersistentVolumeClaim[] = [];
    for (const claim of claims.unboundDelayBinding) {
      const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
      if (selected === undefined) toMatch.push(claim);
      else if (selected !== nodeName) {
        // Provisioning already started for another node.
        unboundSatisfied = false;
        return { reasons: reasons(), podVolumes };
      } else toProvision.push(claim);
    }

    if (toMatch.length > 0) {
      const chosen = new Set<string>();
      const node = { metadata: { name: nodeName, labels: { ...nodeLabels } } };
      for (const pvc of sortClaimsBySize(toMatch)) {
        const pv = findMatchingVolume(pvc, claims.unboundVolumesDelayBinding.get(claimStorageClass(pvc)) ?? [], node, chosen);
        if (!pv) {
          unboundSatisfied = false;
          toProvision.push(pvc);
          continue;
        }
        chosen.add(pv.metadata?.name ?? '');
        podVolumes.staticBindings.push({ pv, pvc });
      }
    }

    if (toProvision.length > 0) {
      const check = checkVolumeProvisions(toProvision, nodeLabels);
      if ('error' in check) return check;
      unboundSatisfied = check.satisfied;
      sufficientStorage = check.sufficientStorage;
      podVolumes.dynamicProvisions = check.provisions;
    }
    return { reasons: reasons(), podVolumes };
  }

  function arePodVolumesBound(pod: Pod): boolean {
    const ns = pod.metadata?.namespace ?? '';
    return podClaims(pod).every((ref) => {
      const pvc = getPVC(ns, ref.claimName);
      return pvc !== undefined && isClaimFullyBound(pvc);
    });
  }

  function revertAssumed(podVolumes: PodVolumes): void {
    for (const { pv } of podVolumes.staticBindings) assumedPVs.delete(pv.metadata?.name ?? '');
    for (const pvc of podVolumes.dynamicProvisions) assumedPVCs.delete(claimKey(pvc));
  }

  /** Upstream's checkBindings: true once every binding is complete in the informer caches. */
  function checkBindings(nodeName: string, nodeLabels: Readonly<Record<string, string>>, podVolumes: PodVolumes): boolean {
    const api = objects();
    const pvMatchesNode = (pv: PersistentVolume): void => {
      const conflict = checkNodeAffinity(pv, nodeLabels);
      if (conflict) throw new Error(`pv "${pv.metadata?.name ?? ''}" node affinity doesn't match node "${nodeName}": ${conflict}`);
    };
    for (const binding of podVolumes.staticBindings) {
      const pvName = binding.pv.metadata?.name ?? '';
      const pv = api.persistentVolume(pvName);
      if (!pv) throw new Error(`failed to check binding: could not find v1.PersistentVolume "${pvName}"`);
      const pvc = api.persistentVolumeClaim(binding.pvc.metadata?.namespace ?? '', binding.pvc.metadata?.name ?? '');
      if (!pvc) throw new Error(`failed to check binding: could not find v1.PersistentVolumeClaim "${claimKey(binding.pvc)}"`);
      if (olderThan(pv, binding.pv)) return false;
      pvMatchesNode(pv);
      if (!pv.spec?.claimRef?.uid) throw new Error(`ClaimRef got reset for pv "${pvName}"`);
      if (!isClaimFullyBound(pvc)) return false;
    }
    for (const claim of podVolumes.dynamicProvisions) {
      const pvc = api.persistentVolumeClaim(claim.metadata?.namespace ?? '', claim.metadata?.name ?? '');
      if (!pvc) throw new Error(`failed to check provisioning pvc: could not find v1.PersistentVolumeClaim "${claimKey(claim)}"`);
      if (olderThan(pvc, claim)) return false;
      const annotations = pvc.metadata?.annotations;
      if (!annotations) throw new Error(`selectedNode annotation reset for PVC "${pvc.metadata?.name ?? ''}"`);
      // A provisioner that gives up removes the annotation to ask the scheduler for another node.
      if (annotations[ANN_SELECTED_NODE] !== nodeName) throw new Error(`provisioning failed for PVC "${pvc.metadata?.name ?? ''}"`);
      if (pvc.spec?.volumeName) {
        const pv = api.persistentVolume(pvc.spec.volumeName);
        if (!pv) throw new Error(`failed to get pv "${pvc.spec.volumeName}" from cache: could not find v1.PersistentVolume "${pvc.spec.volumeName}"`);
        pvMatchesNode(pv);
      }
      if (!isClaimFullyBound(pvc)) return false;
    }
    return true;
  }

  async function bindPodVolumes(nodeName: string, nodeLabels: Readonly<Record<string, string>>, podVolumes: PodVolumes): Promise<void> {
    const api = objects();
    const written: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
    for (const binding of podVolumes.staticBindings) {
      written.staticBindings.push({ pv: await api.updatePersistentVolume(binding.pv), pvc: binding.pvc });
    }
    for (const claim of podVolumes.dynamicProvisions) written.dynamicProvisions.push(await api.updatePersistentVolumeClaim(claim));
    const deadline = Date.now() + bindTimeoutMs;
    for (;;) {
      await sleep(pollIntervalMs);
      let done: boolean;
      try {
        done = checkBindings(nodeName, nodeLabels, written);
      } catch (err) {
        throw new Error(`binding volumes: ${errMessage(err)}`);
      }
      if (done) return;
      if (Date.now() >= deadline) throw new Error('binding volumes: context deadline exceeded');
    }
  }

  const stateData = (state: CycleState): StateData | undefined => state.read<StateData>(STATE_KEY);

  return {
    name: NAME,

    preFilter(state, pod): Status {
      if (podClaims(pod).length === 0) {
        state.write(STATE_KEY, { podVolumesByNode: new Map(), allBound: true } satisfies StateData);
        return Status.skip();
      }
      const found = checkClaimsExist(pod);
      if (found instanceof Status) return found;
      const claims: PodVolumeClaims = { bound: [], unboundDelayBinding: [], unboundVolumesDelayBinding: new Map() };
      let unboundImmediate = 0;
      for (const pvc of found.claims) {
        if (isClaimFullyBound(pvc)) {
          claims.bound.push(pvc);
          continue;
        }
        const delay = isDelayBinding(pvc);
        if (typeof delay === 'string') return Status.error(delay);
        // A claim naming its volume but not yet bound waits for the PV controller, like Immediate ones.
        if (delay && !pvc.spec?.volumeName) claims.unboundDelayBinding.push(pvc);
        else unboundImmediate++;
      }
      // The PV controller binds these; the pod is retried when it does.
      if (unboundImmediate > 0) return Status.unresolvable(ERR_REASON_UNBOUND_IMMEDIATE);
      for (const pvc of claims.unboundDelayBinding) {
        const className = claimStorageClass(pvc);
        if (!claims.unboundVolumesDelayBinding.has(className)) claims.unboundVolumesDelayBinding.set(className, listPVs(className));
      }
      state.write(STATE_KEY, { claims, podVolumesByNode: new Map(), allBound: false } satisfies StateData);
      return Status.success();
    },

    filter(state, _pod, nodeInfo): Status {
      const data = stateData(state);
      if (!data?.claims) return Status.error('not found');
      const result = findPodVolumes(data.claims, nodeInfo.name, nodeInfo.labels);
      if ('error' in result) return Status.error(result.error);
      if (result.reasons.length > 0) return Status.unresolvable(...result.reasons);
      data.podVolumesByNode.set(nodeInfo.name, result.podVolumes);
      return Status.success();
    },

    reserve(state, pod, nodeName): Status {
      const data = stateData(state);
      if (!data) return Status.error('not found');
      const podVolumes = data.podVolumesByNode.get(nodeName);
      if (!podVolumes || arePodVolumesBound(pod)) {
        data.allBound = true;
        return Status.success();
      }
      const staticBindings: StaticBinding[] = [];
      for (const binding of podVolumes.staticBindings) {
        const { pv, dirty } = bindVolumeToClaim(binding.pv, binding.pvc);
        if (dirty) assumedPVs.set(pv.metadata?.name ?? '', pv);
        staticBindings.push({ pv, pvc: binding.pvc });
      }
      const dynamicProvisions = podVolumes.dynamicProvisions.map((claim) => {
        const clone: PersistentVolumeClaim = { ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata?.annotations, [ANN_SELECTED_NODE]: nodeName } } };
        assumedPVCs.set(claimKey(clone), clone);
        return clone;
      });
      podVolumes.staticBindings = staticBindings;
      podVolumes.dynamicProvisions = dynamicProvisions;
      data.allBound = false;
      return Status.success();
    },

    unreserve(state, _pod, nodeName): void {
      const podVolumes = stateData(state)?.podVolumesByNode.get(nodeName);
      if (podVolumes) revertAssumed(podVolumes);
    },

    async preBind(state, _pod, nodeName): Promise<Status> {
      const data = stateData(state);
      if (!data) return Status.error('not found');
      if (data.allBound) return Status.success();
      const podVolumes = data.podVolumesByNode.get(nodeName);
      if (!podVolumes) return Status.error(`no pod volumes found for node "${nodeName}"`);
      const nodeLabels = state.snapshot.get(nodeName)?.labels ?? {};
      try {
        await bindPodVolumes(nodeName, nodeLabels, podVolumes);
        // The informers now show the bindings; nothing is left to assume.
        revertAssumed(podVolumes);
        return Status.success();
      } catch (err) {
        return Status.error(errMessage(err));
      }
    },
  };
}
