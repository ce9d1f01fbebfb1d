// ControllerRevision helpers shared by the StatefulSet and DaemonSet controllers (upstream's
// pkg/controller/history): a revision is an immutable snapshot of the owner's pod template, stored
// as the strategic merge patch that restores it (so `kubectl rollout undo` can apply it as is),
// named "<owner>-<hash>" and ordered by its revision number.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { newControllerRef, type OwnerReference } from '../common/controller-ref.js';
import { canonicalJson, computeHash } from '../common/hash.js';
import type { ControllerRevision } from './types.js';

/** Label carrying the revision's hash (on revisions) or revision name/hash (on pods). */
export const controllerRevisionHashLabel = 'controller-revision-hash';
/** Upstream's ControllerRevisionName limit: a longer owner name is cut so the name stays valid. */
const revisionNamePrefixMax = 223;

export function controllerRevisionName(ownerName: string, hash: string): string {
  const prefix = ownerName.length > revisionNamePrefixMax ? ownerName.slice(0, revisionNamePrefixMax) : ownerName;
  return `${prefix}-${hash}`;
}

/**
 * The data both controllers store: a patch replacing spec.template, as upstream's getPatch
 * builds it. kubectl applies it as a strategic merge patch on rollback.
 */
export function templatePatch(template: PodTemplateSpec | undefined): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...(structuredClone(template ?? {}) as Record<string, unknown>), $patch: 'replace' } } };
}

/** The pod template a revision restores (the inverse of templatePatch). */
export function templateOfRevision(revision: ControllerRevision): PodTemplateSpec | undefined {
  const template = (revision.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (!template) return undefined;
  const { $patch: _ignored, ...rest } = template;
  return rest as PodTemplateSpec;
}

/** Upstream's HashControllerRevision: the data's hash, perturbed by the collision count. */
export function hashControllerRevision(data: unknown, collisionCount: number | undefined): string {
  return computeHash(data, collisionCount);
}

/**
 * Upstream's EqualRevision. Upstream compares the raw bytes; k8ts compares canonical JSON, so a
 * revision the API server re-encoded with another key order still counts as the same.
 */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  return canonicalJson(a.data) === canonicalJson(b.data);
}

export function findEqualRevisions(revisions: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((revision) => equalRevision(revision, needle));
}

/** Upstream's SortControllerRevisions: by revision number, then creation time, then name. */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const at = a.metadata?.creationTimestamp ?? '';
    const bt = b.metadata?.creationTimestamp ?? '';
    if (at !== bt) return at < bt ? -1 : 1;
    const an = a.metadata?.name ?? '';
    const bn = b.metadata?.name ?? '';
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
}

/** One more than the highest revision number in a sorted list; 1 for an empty history. */
export function nextRevision(sorted: readonly ControllerRevision[]): number {
  const last = sorted[sorted.length - 1];
  return last ? last.revision + 1 : 1;
}

export function maxRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((max, revision) => Math.max(max, revision.revision), 0);
}

export interface NewRevisionOptions {
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  templateLabels: Readonly<Record<string, string>> | undefined;
  data: unknown;
  revision: number;
  collisionCount: number | undefined;
  annotations?: Readonly<Record<string, string>>;
}

/** Upstream's NewControllerRevision: labels from the template plus the hash, owned by the owner. */
export function newControllerRevision(options: NewRevisionOptions): ControllerRevision {
  const hash = hashControllerRevision(options.data, options.collisionCount);
  const ref: OwnerReference = newControllerRef(options.owner, options.ownerApiVersion, options.ownerKind);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(options.owner.metadata?.name ?? '', hash),
      namespace: options.owner.metadata?.namespace,
      labels: { ...(options.templateLabels ?? {}), [controllerRevisionHashLabel]: hash },
      ...(options.annotations && Object.keys(options.annotations).length > 0 ? { annotations: { ...options.annotations } } : {}),
      ownerReferences: [ref],
    },
    data: structuredClone(options.data),
    revision: options.revision,
  };
}
