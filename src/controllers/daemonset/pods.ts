// Daemon pod bookkeeping shared by manage, rolling update and status: which pods are updated,
// their order, and the template new pods are made from.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { controllerRevisionHashLabel } from '../history/revision.js';
import type { DaemonSet, Pod } from '../history/types.js';
import { addDaemonTolerations } from './eligibility.js';

/** The DaemonSet's template generation, as apps/v1 exposes it. */
export const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';
/** The pod label recording that generation (upstream's DaemonSetTemplateGenerationKey). */
export const podTemplateGenerationLabel = 'pod-template-generation';

export function templateGeneration(ds: DaemonSet): string | undefined {
  const value = ds.metadata?.annotations?.[templateGenerationAnnotation];
  return value !== undefined && /^-?\d+$/.test(value) ? String(Number(value)) : undefined;
}

/** Upstream's IsPodUpdated: the pod carries the current hash, or the current template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  return (hash !== '' && labels[controllerRevisionHashLabel] === hash) || (generation !== undefined && labels[podTemplateGenerationLabel] === generation);
}

/** Upstream's podByCreationTimestampAndPhase: scheduled pods first, then oldest first, then by name. */
export function compareDaemonPods(a: Pod, b: Pod): number {
  const aScheduled = !!a.spec?.nodeName;
  const bScheduled = !!b.spec?.nodeName;
  if (aScheduled !== bScheduled) return aScheduled ? -1 : 1;
  const at = a.metadata?.creationTimestamp ?? '';
  const bt = b.metadata?.creationTimestamp ?? '';
  if (at === bt) return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
  return at < bt ? -1 : 1;
}

/** Upstream's CreatePodTemplate: the daemon tolerations plus the generation and hash labels. */
export function daemonPodTemplate(ds: DaemonSet, hash: string): PodTemplateSpec & { metadata: { labels: Record<string, string> } } {
  const template = structuredClone(ds.spec?.template ?? {}) as { metadata?: { labels?: Record<string, string> }; spec?: Pod['spec'] };
  template.spec ??= { containers: [] };
  addDaemonTolerations(template.spec);
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[podTemplateGenerationLabel] = generation;
  if (hash !== '') labels[controllerRevisionHashLabel] = hash;
  return { ...template, metadata: { ...template.metadata, labels } } as never;
}

/**
 * Non-deleted pods on a node split into at most one updated and one old pod; ok false when there
 * are more (the manage pass prunes them first).
 */
export function findUpdatedPodsOnNode(ds: DaemonSet, pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  const generation = templateGeneration(ds);
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}
