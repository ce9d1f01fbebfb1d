// The annotations a Deployment keeps on its ReplicaSets: revision, revision history and the
// replica counts proportional scaling needs (upstream's deployment_util.go).
import type { Deployment, ReplicaSet } from './types.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** Upstream's MaxRevHistoryLengthInChars: the revision-history annotation stays under this. */
export const maxRevisionHistoryLengthChars = 2000;

/** Deployment annotations never copied to its ReplicaSets. */
const annotationsToSkip = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** A ReplicaSet's revision; 0 when absent or not a number. */
export function revisionOf(rs: ReplicaSet): number {
  const text = rs.metadata?.annotations?.[revisionAnnotation];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : 0;
}

export function maxRevision(sets: readonly ReplicaSet[]): number {
  return sets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  const annotations = (rs.metadata!.annotations ??= {});
  for (const [key, value] of Object.entries(d.metadata?.annotations ?? {})) {
    if (annotationsToSkip.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas; true when either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = (rs.metadata!.annotations ??= {});
  let changed = false;
  if (annotations[desiredReplicasAnnotation] !== String(desired)) {
    annotations[desiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (annotations[maxReplicasAnnotation] !== String(max)) {
    annotations[maxReplicasAnnotation] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata?.annotations ?? {};
  return annotations[desiredReplicasAnnotation] !== String(desired) || annotations[maxReplicasAnnotation] !== String(max);
}

/**
 * Upstream's SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the
 * revision to newRevision (remembering the old one in revision-history: a rollback re-uses an old
 * ReplicaSet), and on a ReplicaSet about to be created sets the replica annotations.
 * `rs` must be a private copy. Returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean, maxSurge: number): boolean {
  rs.metadata ??= {};
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const oldText = annotations[revisionAnnotation];
  if (oldText !== undefined && oldText !== '' && !/^\d+$/.test(oldText)) return false;
  const oldRevision = oldText ? Number(oldText) : 0;
  if (oldRevision < newRevision) {
    annotations[revisionAnnotation] = String(newRevision);
    changed = true;
  }
  if (oldText !== undefined && oldRevision < newRevision) {
    const history = annotations[revisionHistoryAnnotation] ?? '';
    if (history === '') annotations[revisionHistoryAnnotation] = oldText;
    else {
      const revisions = history.split(',');
      let totalLength = history.length + oldText.length + 1;
      let start = 0;
      while (totalLength > maxRevisionHistoryLengthChars && start < revisions.length) {
        totalLength -= revisions[start]!.length + 1;
        start++;
      }
      if (totalLength <= maxRevisionHistoryLengthChars) annotations[revisionHistoryAnnotation] = [...revisions.slice(start), oldText].join(',');
    }
  }
  const replicas = d.spec?.replicas ?? 0;
  if (!exists && setReplicasAnnotations(rs, replicas, replicas + maxSurge)) changed = true;
  return changed;
}
