// One pass of upstream's defaultStatefulSetControl.updateStatefulSet: bring the pods to the
// set's replica count and revision, honouring the pod management policy and update strategy,
// and compute the status that results. With OrderedReady ("monotonic") a pass stops at the first
// pod that is not Running and Ready, creating in ascending and deleting in descending ordinal.
import { getScaledValueFromIntOrPercent } from '../../api/units/intstr.js';
import { isNotFound } from '../../client/index.js';
import type { ControllerRevision, Pod, StatefulSet } from '../history/types.js';
import {
  isCreated, isFailed, isPending, isSucceeded, isTerminating, newVersionedStatefulSetPod, ordinalOf, podInOrdinalRange,
  podRevision, replicasOf, startOrdinal, identityMatches, storageMatches,
} from './identity.js';
import type { StatefulPodControl } from './pod-control.js';
import { applyRevision } from './revisions.js';
import { countReplicas, isHealthy, isRunningAndAvailable, isRunningAndReady, type Status } from './status.js';

export interface UpdatePass {
  set: StatefulSet;
  pods: readonly Pod[];
  currentRevision: ControllerRevision;
  updateRevision: ControllerRevision;
  collisionCount: number;
  podControl: StatefulPodControl;
  nowMs: number;
}

type Step = (index: number) => Promise<boolean>;

/**
 * Upstream's runForAll: in order, stopping at the first step that says so (monotonic), or all
 * at once in slow-start batches (1, 2, 4, …) that stop after a batch with a failure.
 */
async function runForAll(count: number, step: Step, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < count; i++) if (await step(i)) return true;
    return false;
  }
  let done = 0;
  for (let batch = 1; done < count; batch *= 2) {
    const size = Math.min(batch, count - done);
    const results = await Promise.allSettled(Array.from({ length: size }, (_, k) => step(done + k)));
    done += size;
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }
  return false;
}

export async function updateStatefulSet(pass: UpdatePass): Promise<{ status: Status; error?: unknown }> {
  const { set, currentRevision, updateRevision, podControl, nowMs } = pass;
  const currentSet = applyRevision(set, currentRevision);
  const updateSet = applyRevision(set, updateRevision);
  const minReadySeconds = set.spec?.minReadySeconds ?? 0;
  const currentName = currentRevision.metadata?.name ?? '';
  const updateName = updateRevision.metadata?.name ?? '';
  const status: Status = {
    observedGeneration: set.metadata?.generation,
    currentRevision: currentName,
    updateRevision: updateName,
    collisionCount: pass.collisionCount,
    replicas: 0,
  };
  countReplicas(status, minReadySeconds, nowMs, currentName, updateName, [...pass.pods]);

  const start = startOrdinal(set);
  const replicaCount = replicasOf(set);
  const replicas: Pod[] = new Array<Pod>(replicaCount);
  const condemned: Pod[] = [];
  for (const pod of pass.pods) {
    if (podInOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
    else if (ordinalOf(pod) >= 0) condemned.push(pod);
  }
  for (let index = 0; index < replicaCount; index++) {
    replicas[index] ??= newVersionedStatefulSetPod(currentSet, updateSet, currentName, updateName, start + index);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  let firstUnhealthyPod: Pod | undefined = replicas.find((pod) => !isHealthy(pod));
  for (let i = condemned.length - 1; i >= 0 && !firstUnhealthyPod; i--) if (!isHealthy(condemned[i]!)) firstUnhealthyPod = condemned[i];

  const finish = (error?: unknown) => {
    countReplicas(status, minReadySeconds, nowMs, currentName, updateName, replicas, condemned);
    return { status, error };
  };
  // A set being deleted only gets its status counted; the garbage collector removes its pods.
  if (set.metadata?.deletionTimestamp) return { status };
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';

  const processReplica: Step = async (i) => {
    const pod = replicas[i]!;
    // Finished pods (Failed, or Succeeded after an eviction or node reboot) are deleted; the
    // next pass re-creates them once the deletion is seen.
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!isTerminating(pod)) await podControl.deleteStatefulPod(set, pod);
      return true;
    }
    if (!isCreated(pod)) {
      // A claim still owned by a previous pod of this name must be deleted first.
      if (podControl.podClaimIsStale(set, pod)) return true;
      await podControl.createStatefulPod(set, pod);
      return monotonic;
    }
    if (isPending(pod)) await podControl.createPersistentVolumeClaims(set, pod);
    if (isTerminating(pod) && monotonic) return true;
    if (!isRunningAndReady(pod) && monotonic) return true;
    if (!isRunningAndAvailable(pod, minReadySeconds, nowMs) && monotonic) return true;
    if (identityMatches(set, pod) && storageMatches(set, pod) && podControl.claimsMatchRetentionPolicy(updateSet, pod)) return false;
    await podControl.updateStatefulPod(updateSet, pod);
    return false;
  };
  try {
    if (await runForAll(replicas.length, processReplica, monotonic)) return finish();
    const fixClaims: Step = async (i) => {
      if (!podControl.claimsMatchRetentionPolicy(updateSet, condemned[i]!)) await podControl.updatePodClaimForRetentionPolicy(updateSet, condemned[i]!);
      return false;
    };
    if (await runForAll(condemned.length, fixClaims, monotonic)) return finish();
    // Scale down, highest ordinal first; in monotonic mode only while every other pod is healthy.
    const processCondemned: Step = async (i) => {
      const pod = condemned[i]!;
      if (isTerminating(pod)) return monotonic;
      if (!isRunningAndReady(pod) && monotonic && pod !== firstUnhealthyPod) return true;
      if (!isRunningAndAvailable(pod, minReadySeconds, nowMs) && monotonic && pod !== firstUnhealthyPod) return true;
      await podControl.deleteStatefulPod(set, pod);
      return true;
    };
    if (await runForAll(condemned.length, processCondemned, monotonic)) return finish();
  } catch (error) {
    return finish(error);
  }
  countReplicas(status, minReadySeconds, nowMs, currentName, updateName, replicas, condemned);
  const strategy = set.spec?.updateStrategy;
  if (strategy?.type === 'OnDelete') return { status };
  try {
    await rollingUpdate(set, replicas, updateName, podControl, status);
  } catch (error) {
    return { status, error };
  }
  return { status };
}

/**
 * Deletes the highest-ordinal pod at or above the partition that is not at the update revision
 * (it is re-created at the update revision by a later pass), waiting while any such pod is
 * unhealthy. With rollingUpdate.maxUnavailable set (upstream's alpha MaxUnavailableStatefulSet)
 * up to that many pods are down at once.
 */
async function rollingUpdate(set: StatefulSet, replicas: Pod[], updateName: string, podControl: StatefulPodControl, status: Status): Promise<void> {
  const rolling = set.spec?.updateStrategy?.rollingUpdate;
  const updateMin = rolling?.partition ?? 0;
  if (rolling?.maxUnavailable != null) {
    const maxUnavailable = Math.max(1, getScaledValueFromIntOrPercent(rolling.maxUnavailable, replicas.length, false));
    const unavailable = replicas.filter((pod) => !isHealthy(pod)).length;
    let toDelete = maxUnavailable - unavailable;
    for (let target = replicas.length - 1; target >= updateMin && toDelete > 0; target--) {
      const pod = replicas[target]!;
      if (podRevision(pod) === updateName || isTerminating(pod)) continue;
      await podControl.deleteStatefulPod(set, pod);
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
      toDelete--;
    }
    return;
  }
  for (let target = replicas.length - 1; target >= updateMin; target--) {
    const pod = replicas[target]!;
    if (podRevision(pod) !== updateName && !isTerminating(pod)) {
      await podControl.deleteStatefulPod(set, pod).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
      return;
    }
    if (!isHealthy(pod)) return;
  }
}
