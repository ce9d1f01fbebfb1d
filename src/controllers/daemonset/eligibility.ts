// Which nodes a DaemonSet's pod belongs on (upstream's NodeShouldRunDaemonPod), the tolerations
// upstream adds to every daemon pod, and the node affinity that pins a daemon pod to its node so
// the default scheduler binds it there.
import type { NodeSelectorTerm, Toleration } from 'kubernetes-types/core/v1.js';
import { podMatchesNodeSelectorAndAffinity } from '../../scheduler/framework/node-selector.js';
import { findUntoleratedTaint } from '../../scheduler/framework/tolerations.js';
import type { DaemonSet, DeepMutable, Node, Pod } from '../history/types.js';

type PodSpec = NonNullable<Pod['spec']>;

/** Upstream's AddOrUpdateDaemonPodTolerations: daemons survive node problems and cordons. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const tolerations: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) tolerations.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return tolerations;
}

/**
 * Upstream's AddOrUpdateTolerationInPodSpec for each daemon toleration: one with the same key,
 * operator, value and effect is replaced; otherwise it is appended.
 */
export function addDaemonTolerations(spec: PodSpec): void {
  const tolerations = [...(spec.tolerations ?? [])];
  for (const wanted of daemonTolerations(spec.hostNetwork === true)) {
    const index = tolerations.findIndex(
      (t) => (t.key ?? '') === wanted.key && (t.operator ?? 'Equal') === wanted.operator && (t.value ?? '') === '' && (t.effect ?? '') === wanted.effect,
    );
    if (index < 0) tolerations.push({ ...wanted });
    else tolerations[index] = { ...wanted };
  }
  spec.tolerations = tolerations as DeepMutable<Toleration>[];
}

/** The pod the DaemonSet would run on a node, as the scheduling checks see it (upstream's NewPod). */
export function newDaemonPod(ds: DaemonSet, nodeName: string): Pod {
  const template = ds.spec?.template;
  const pod: Pod = {
    metadata: { ...structuredClone(template?.metadata ?? {}), namespace: ds.metadata?.namespace },
    spec: { ...(structuredClone(template?.spec ?? { containers: [] }) as PodSpec), nodeName },
  };
  addDaemonTolerations(pod.spec!);
  return pod;
}

const scheduleEffects: ReadonlySet<string> = new Set(['NoSchedule', 'NoExecute']);
const executeEffects: ReadonlySet<string> = new Set(['NoExecute']);

/**
 * [shouldRun, shouldContinueRunning]: a node the pod does not fit by name or affinity gets
 * neither; a node with an untolerated taint gets no new pod, but a running one stays unless a
 * NoExecute taint is untolerated.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const nodeName = node.metadata?.name ?? '';
  const templateNodeName = ds.spec?.template?.spec?.nodeName ?? '';
  if (templateNodeName !== '' && templateNodeName !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  const pod = newDaemonPod(ds, nodeName);
  if (!podMatchesNodeSelectorAndAffinity(pod as never, node as never)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = pod.spec?.tolerations ?? [];
  if (findUntoleratedTaint(taints as never, tolerations as never, scheduleEffects)) {
    return { shouldRun: false, shouldContinueRunning: !findUntoleratedTaint(taints as never, tolerations as never, executeEffects) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** Upstream's ReplaceDaemonSetPodNodeNameNodeAffinity: required affinity matchFields metadata.name In [node]. */
export function pinToNode(spec: PodSpec, nodeName: string): void {
  const term: DeepMutable<NodeSelectorTerm> = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  spec.affinity ??= {};
  spec.affinity.nodeAffinity ??= {};
  const required = spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
  else required.nodeSelectorTerms = [term];
}

/**
 * Upstream's GetTargetNodeName: spec.nodeName once bound, otherwise the node named by the pinning
 * affinity; undefined for a pod that names no node.
 */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const field of term.matchFields ?? []) {
      if (field.key === 'metadata.name' && field.operator === 'In' && field.values?.length === 1) return field.values[0];
    }
  }
  return undefined;
}
