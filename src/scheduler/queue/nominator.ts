// Which pods were nominated (by preemption) to which node, so later cycles keep room for them.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podKey } from '../framework/pod-info.js';

const NO_PODS: readonly Pod[] = Object.freeze([]);

export class Nominator {
  private readonly byNode = new Map<string, Map<string, Pod>>();
  private readonly nodeOf = new Map<string, string>();

  /** `nodeName` overrides the pod's status.nominatedNodeName (fresh preemption result). */
  add(pod: Pod, nodeName = pod.status?.nominatedNodeName ?? ''): void {
    this.delete(pod);
    if (!nodeName) return;
    const key = podKey(pod);
    const pods = this.byNode.get(nodeName) ?? new Map<string, Pod>();
    pods.set(key, pod);
    this.byNode.set(nodeName, pods);
    this.nodeOf.set(key, nodeName);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = this.nodeOf.get(key);
    if (nodeName === undefined) return;
    this.nodeOf.delete(key);
    const pods = this.byNode.get(nodeName);
    pods?.delete(key);
    if (pods?.size === 0) this.byNode.delete(nodeName);
  }

  /** Keeps the nomination unless the update carries a different one. */
  update(oldPod: Pod, newPod: Pod): void {
    const previous = this.nodeOf.get(podKey(oldPod));
    const next = newPod.status?.nominatedNodeName || previous || '';
    this.delete(oldPod);
    if (!newPod.spec?.nodeName) this.add(newPod, next);
  }

  nominatedNodeName(pod: Pod): string | undefined {
    return this.nodeOf.get(podKey(pod));
  }

  /** Lets a scheduling cycle skip the per-node lookup when no pod is nominated anywhere (the usual case). */
  isEmpty(): boolean {
    return this.byNode.size === 0;
  }

  /** Called for every node filtered: nodes without nominations (nearly all) cost no allocation. */
  podsForNode(nodeName: string): readonly Pod[] {
    const pods = this.byNode.get(nodeName);
    return pods ? [...pods.values()] : NO_PODS;
  }
}
