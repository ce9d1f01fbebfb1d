// Upstream's TriggerTimeTracker (pkg/controller/util/endpoint): the last-change-trigger-time
// annotation says when the oldest change not yet reflected in the Endpoints happened, so
// latency can be measured from it. A pod's trigger time is its Ready condition's last transition;
// a Service's is its creation. Changes are those newer than what the last sync saw.
import type { Pod, Service } from 'kubernetes-types/core/v1.js';

interface ServiceState {
  podTriggerMs: Map<string, number>;
  serviceTriggerMs: number;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** The trigger time for this sync (RFC 3339), or undefined when nothing changed since the last. */
  compute(serviceKey: string, service: Service, pods: readonly Pod[]): string | undefined {
    const state = this.states.get(serviceKey);
    let minChanged: { ms: number; text: string } | undefined;
    const consider = (text: string, ms: number): void => {
      if (!minChanged || ms < minChanged.ms) minChanged = { ms, text };
    };
    const podTriggerMs = new Map<string, number>();
    for (const pod of pods) {
      const text = pod.status?.conditions?.find((condition) => condition.type === 'Ready')?.lastTransitionTime;
      const ms = text ? Date.parse(text) : NaN;
      if (Number.isNaN(ms)) continue;
      const name = pod.metadata?.name ?? '';
      podTriggerMs.set(name, ms);
      if (ms > (state?.podTriggerMs.get(name) ?? -Infinity)) consider(text!, ms);
    }
    const created = service.metadata?.creationTimestamp;
    const serviceMs = created ? Date.parse(created) : NaN;
    if (!Number.isNaN(serviceMs) && serviceMs > (state?.serviceTriggerMs ?? -Infinity)) consider(created!, serviceMs);
    this.states.set(serviceKey, { podTriggerMs, serviceTriggerMs: Number.isNaN(serviceMs) ? -Infinity : serviceMs });
    // A Service seen for the first time uses its creation time, as upstream.
    if (!state) return created;
    return minChanged?.text;
  }

  forget(serviceKey: string): void {
    this.states.delete(serviceKey);
  }
}
