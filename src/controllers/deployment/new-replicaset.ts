// Finding or creating the ReplicaSet for the Deployment's current template, and keeping the
// revision annotations in step (upstream's sync.go getAllReplicaSetsAndSyncRevision/getNewReplicaSet).
import type { KubeObject } from '../../api/object.js';
import { isAlreadyExists } from '../../client/index.js';
import { controllerOf, newControllerRef } from '../common/controller-ref.js';
import { computeHash } from '../common/hash.js';
import { errorMessage } from '../replicaset/status.js';
import { isNamespaceTerminating } from '../serviceaccount/controller.js';
import { maxRevision, revisionAnnotation, setNewReplicaSetAnnotations } from './annotations.js';
import { failedReplicaSetCreateReason, foundNewReplicaSetReason, getCondition, newCondition, newReplicaSetReason, progressingCondition, setCondition } from './conditions.js';
import { updateDeploymentStatus, type DeploymentSyncContext } from './context.js';
import type { Deployment, ReplicaSet } from './types.js';
import { equalIgnoreHash, findNewReplicaSet, withoutNulls, findOldReplicaSets, hasProgressDeadline, maxSurge, newReplicaSetReplicas, podTemplateHashLabel } from './util.js';

export const deploymentKind = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;

export interface ReplicaSetsOfDeployment {
  newRs: ReplicaSet | undefined;
  oldSets: ReplicaSet[];
}

export async function getAllReplicaSetsAndSyncRevision(ctx: DeploymentSyncContext, d: Deployment, sets: readonly ReplicaSet[], createIfMissing: boolean): Promise<ReplicaSetsOfDeployment> {
  const oldSets = findOldReplicaSets(d, sets);
  const newRs = await getNewReplicaSet(ctx, d, sets, oldSets, createIfMissing);
  return { newRs, oldSets };
}

/** Sets the Deployment's revision annotation; true when it changed. */
function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const annotations = (d.metadata!.annotations ??= {});
  if (annotations[revisionAnnotation] === revision) return false;
  annotations[revisionAnnotation] = revision;
  return true;
}

/**
 * Writes what getNewReplicaSet changed on the Deployment. Upstream writes the revision
 * annotation through the status subresource; k8ts's status writes keep metadata as stored, so
 * the annotation goes in its own merge patch first. That patch bumps generation (annotation
 * changes do, for Deployments); the rest of this sync works from the new generation, so the
 * status it writes at the end reports it as observed.
 */
async function persist(ctx: DeploymentSyncContext, d: Deployment, revisionChanged: boolean): Promise<void> {
  if (revisionChanged) {
    // The resourceVersion makes the patch conditional: a spec change we have not seen fails it (409, retried).
    const patch = { metadata: { resourceVersion: d.metadata?.resourceVersion, annotations: { [revisionAnnotation]: d.metadata!.annotations![revisionAnnotation] } } };
    const patched = await ctx.deploymentClient.patch(d.metadata?.namespace, d.metadata?.name ?? '', patch, 'merge');
    d.metadata!.resourceVersion = patched.metadata?.resourceVersion;
    d.metadata!.generation = patched.metadata?.generation;
  }
  await updateDeploymentStatus(ctx, d);
}

async function getNewReplicaSet(ctx: DeploymentSyncContext, d: Deployment, sets: readonly ReplicaSet[], oldSets: ReplicaSet[], createIfMissing: boolean): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(d, sets);
  const newRevision = maxRevision(oldSets) + 1;
  const now = ctx.clock.now();

  if (existing) {
    const copy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true, maxSurge(d));
    const minReadySeconds = d.spec?.minReadySeconds ?? 0;
    if (annotationsUpdated || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
      copy.spec = { ...copy.spec, minReadySeconds };
      return (await ctx.replicaSetClient.update(copy.metadata?.namespace, copy)) as ReplicaSet;
    }
    const revisionChanged = setDeploymentRevision(d, copy.metadata?.annotations?.[revisionAnnotation] ?? '');
    let needsUpdate = revisionChanged;
    // A Deployment that just got a deadline: count progress from the first time we see its ReplicaSet.
    if (hasProgressDeadline(d) && !getCondition(d.status, progressingCondition)) {
      d.status ??= {};
      setCondition(d.status, newCondition(progressingCondition, 'True', foundNewReplicaSetReason, `Found new replica set "${copy.metadata?.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await persist(ctx, d, revisionChanged);
    return copy;
  }

  if (!createIfMissing) return undefined;

  const hash = computeHash(withoutNulls(d.spec?.template), d.status?.collisionCount);
  const template = structuredClone(d.spec?.template ?? {}) as NonNullable<NonNullable<ReplicaSet['spec']>['template']> & { metadata: { labels: Record<string, string> } };
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [podTemplateHashLabel]: hash } };
  const selector = structuredClone(d.spec?.selector ?? {}) as { matchLabels?: Record<string, string> };
  selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
  const name = `${d.metadata?.name}-${hash}`;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    // The name is derived from the template so that a repeated create finds the same ReplicaSet.
    metadata: { name, namespace: d.metadata?.namespace, ownerReferences: [newControllerRef(d, deploymentKind.apiVersion, deploymentKind.kind)], labels: { ...template.metadata.labels } },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newReplicaSetReplicas(d, [...oldSets, rs], rs);
  rs.spec!.replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false, maxSurge(d));

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = (await ctx.replicaSetClient.create(d.metadata?.namespace, rs as KubeObject)) as ReplicaSet;
  } catch (error) {
    if (isAlreadyExists(error)) {
      alreadyExists = true;
      const found = ctx.replicaSetCache.get(`${d.metadata?.namespace}/${name}`) as ReplicaSet | undefined;
      if (!found) throw error;
      const ref = controllerOf(found);
      if (ref?.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
        created = found;
      } else {
        // A hash collision: another template (or owner) holds the name. Bump collisionCount so the
        // next sync hashes differently.
        d.status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        await updateDeploymentStatus(ctx, d).catch(() => undefined);
        throw error;
      }
    } else if (isNamespaceTerminating(error)) {
      throw error;
    } else {
      const message = `Failed to create new replica set "${name}": ${errorMessage(error)}`;
      if (hasProgressDeadline(d)) {
        d.status ??= {};
        setCondition(d.status, newCondition(progressingCondition, 'False', failedReplicaSetCreateReason, message, now));
        // The bigger problem is reported below; a failed status write changes nothing.
        await updateDeploymentStatus(ctx, d).catch(() => undefined);
      }
      ctx.recorder.event(d, 'Warning', failedReplicaSetCreateReason, message);
      throw error;
    }
  }
  if (!alreadyExists && replicas > 0) {
    ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} from 0 to ${replicas}`);
  }
  const revisionChanged = setDeploymentRevision(d, String(newRevision));
  let needsUpdate = revisionChanged;
  if (!alreadyExists && hasProgressDeadline(d)) {
    d.status ??= {};
    setCondition(d.status, newCondition(progressingCondition, 'True', newReplicaSetReason, `Created new replica set "${created.metadata?.name}"`, now));
    needsUpdate = true;
  }
  if (needsUpdate) await persist(ctx, d, revisionChanged);
  return created;
}
