// A DaemonSet's revisions (upstream's constructHistory, snapshot, dedupCurHistories and
// cleanupHistory). Unlike the StatefulSet's, the name's hash is of the pod template (with the
// collision count), and daemon pods carry that hash, not the revision's name.
import { canonicalJson, computeHash } from '../common/hash.js';
import { newControllerRef } from '../common/controller-ref.js';
import type { RevisionHistory } from '../history/history.js';
import { controllerRevisionHashLabel, controllerRevisionName, maxRevision, sortRevisions, templatePatch } from '../history/revision.js';
import type { ControllerRevision, DaemonSet, Pod } from '../history/types.js';
import type { RevisionClient } from '../history/history.js';
import { isAlreadyExists } from '../../client/index.js';

export const daemonSetApiVersion = 'apps/v1';
export const daemonSetKind = 'DaemonSet';

/** Whether a revision snapshots the DaemonSet's current template (upstream's Match). */
export function matchesDaemonSet(ds: DaemonSet, revision: ControllerRevision): boolean {
  return canonicalJson(templatePatch(ds.spec?.template as never)) === canonicalJson(revision.data);
}

export function daemonSetTemplateHash(ds: DaemonSet): string {
  return computeHash(ds.spec?.template, ds.status?.collisionCount);
}

/** Raised when a revision name is taken by a different template: the collision count was bumped; retry. */
export class RevisionCollisionError extends Error {}

export interface DaemonSetHistoryApi {
  history: RevisionHistory;
  revisionClient: RevisionClient;
  /** Bumps status.collisionCount on the live DaemonSet. */
  bumpCollisionCount(ds: DaemonSet): Promise<void>;
}

/**
 * The current revision (created, or deduplicated and renumbered) and the old ones. Old revisions
 * without the hash label get it (named after the revision), as upstream does for pre-1.7 history.
 */
export async function constructHistory(ds: DaemonSet, api: DaemonSetHistoryApi): Promise<{ current: ControllerRevision; old: ControllerRevision[] }> {
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (let revision of api.history.list(ds, ds.spec?.selector)) {
    if (!revision.metadata?.labels?.[controllerRevisionHashLabel]) {
      const labelled = structuredClone(revision);
      labelled.metadata = { ...labelled.metadata, labels: { ...(labelled.metadata?.labels ?? {}), [controllerRevisionHashLabel]: labelled.metadata?.name ?? '' } };
      revision = await api.revisionClient.update(labelled.metadata?.namespace, labelled);
    }
    (matchesDaemonSet(ds, revision) ? current : old).push(revision);
  }
  const next = maxRevision(old) + 1;
  if (current.length === 0) return { current: await snapshot(ds, next, api), old };
  const kept = await dedupCurrentHistories(current, api);
  if (kept.revision < next) return { current: await api.history.updateRevisionNumber(kept, next), old };
  return { current: kept, old };
}

/** Keeps the newest of several revisions of the current template and deletes the rest. */
async function dedupCurrentHistories(current: ControllerRevision[], api: DaemonSetHistoryApi): Promise<ControllerRevision> {
  if (current.length === 1) return current[0]!;
  const sorted = sortRevisions(current);
  const keep = sorted[sorted.length - 1]!;
  for (const duplicate of sorted.slice(0, -1)) await api.history.delete(duplicate);
  return keep;
}

async function snapshot(ds: DaemonSet, revision: number, api: DaemonSetHistoryApi): Promise<ControllerRevision> {
  const hash = daemonSetTemplateHash(ds);
  const history: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(ds.metadata?.name ?? '', hash),
      namespace: ds.metadata?.namespace,
      labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [controllerRevisionHashLabel]: hash },
      ...(ds.metadata?.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(ds, daemonSetApiVersion, daemonSetKind)],
    },
    data: templatePatch(ds.spec?.template as never),
    revision,
  };
  try {
    return await api.revisionClient.create(ds.metadata?.namespace, history);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  const existing = await api.revisionClient.get(ds.metadata?.namespace, history.metadata?.name ?? '');
  if (matchesDaemonSet(ds, existing)) return existing;
  await api.bumpCollisionCount(ds);
  throw new RevisionCollisionError(`found a hash collision for DaemonSet "${ds.metadata?.name}" - bumping collisionCount to resolve it`);
}

/**
 * Deletes the oldest old revisions beyond revisionHistoryLimit, skipping any whose hash a pod
 * still carries.
 */
export async function cleanupHistory(ds: DaemonSet, old: readonly ControllerRevision[], pods: readonly Pod[], history: RevisionHistory): Promise<void> {
  let toKill = old.length - (ds.spec?.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  const liveHashes = new Set(pods.map((pod) => pod.metadata?.labels?.[controllerRevisionHashLabel]).filter((hash): hash is string => !!hash));
  for (const revision of sortRevisions(old)) {
    if (toKill <= 0) break;
    if (liveHashes.has(revision.metadata?.labels?.[controllerRevisionHashLabel] ?? '')) continue;
    await history.delete(revision);
    toKill--;
  }
}
