// A StatefulSet's revisions (upstream's getStatefulSetRevisions, ApplyRevision, truncateHistory):
// the update revision is the set's current template; an equal older revision is renumbered
// rather than duplicated (that is a rollback); the current revision is the one status names.
import type { RevisionHistory } from '../history/history.js';
import { equalRevision, findEqualRevisions, newControllerRevision, nextRevision, sortRevisions, templateOfRevision, templatePatch } from '../history/revision.js';
import type { ControllerRevision, Pod, StatefulSet } from '../history/types.js';
import { podRevision, statefulSetApiVersion, statefulSetKind } from './identity.js';

export function newStatefulSetRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  return newControllerRevision({
    owner: set,
    ownerApiVersion: statefulSetApiVersion,
    ownerKind: statefulSetKind,
    templateLabels: set.spec?.template?.metadata?.labels,
    data: templatePatch(set.spec?.template as never),
    revision,
    collisionCount,
    annotations: set.metadata?.annotations,
  });
}

/** The set as it was at a revision: its template replaced by the revision's. */
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  const clone = structuredClone(set);
  const template = templateOfRevision(revision);
  if (template && clone.spec) clone.spec.template = structuredClone(template) as never;
  return clone;
}

export interface SetRevisions {
  currentRevision: ControllerRevision;
  updateRevision: ControllerRevision;
  collisionCount: number;
}

export async function getStatefulSetRevisions(set: StatefulSet, unsorted: readonly ControllerRevision[], history: RevisionHistory): Promise<SetRevisions> {
  const revisions = sortRevisions(unsorted);
  let collisionCount = set.status?.collisionCount ?? 0;
  let updateRevision = newStatefulSetRevision(set, nextRevision(revisions), collisionCount);
  const equal = findEqualRevisions(revisions, updateRevision);
  const lastEqual = equal[equal.length - 1];
  const latest = revisions[revisions.length - 1];
  if (lastEqual && equalRevision(latest, lastEqual)) {
    // The template has not changed since the latest revision.
    updateRevision = latest!;
  } else if (lastEqual) {
    // Back to an older template: that revision becomes the newest again.
    updateRevision = await history.updateRevisionNumber(lastEqual, updateRevision.revision);
  } else {
    const created = await history.create(set, updateRevision, collisionCount);
    updateRevision = created.revision;
    collisionCount = created.collisionCount;
  }
  const currentRevision = revisions.find((revision) => revision.metadata?.name === set.status?.currentRevision) ?? updateRevision;
  return { currentRevision, updateRevision, collisionCount };
}

/**
 * Deletes the oldest revisions beyond revisionHistoryLimit that no pod uses and that are
 * neither the current nor the update revision.
 */
export async function truncateHistory(set: StatefulSet, pods: readonly Pod[], unsorted: readonly ControllerRevision[], live: { current?: ControllerRevision; update?: ControllerRevision }, history: RevisionHistory): Promise<void> {
  const liveNames = new Set<string>();
  if (live.current) liveNames.add(live.current.metadata?.name ?? '');
  if (live.update) liveNames.add(live.update.metadata?.name ?? '');
  for (const pod of pods) liveNames.add(podRevision(pod));
  const old = sortRevisions(unsorted).filter((revision) => !liveNames.has(revision.metadata?.name ?? ''));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  if (old.length <= limit) return;
  for (const revision of old.slice(0, old.length - limit)) await history.delete(revision);
}
