// Every write the scheduler makes, behind one interface so the wiring can be tested with a fake:
// bindings, pod status patches (PodScheduled, nominatedNodeName, DisruptionTarget), victim
// deletion and Events.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { createEvent, eventResource, type EventType, type RestClient } from '../../client/index.js';

export const podResource = { group: '', version: 'v1', resource: 'pods', namespaced: true } as const;

/**
 * Events are best effort: at most this many are in flight; beyond it new ones are dropped, as
 * upstream's event broadcaster drops when its queue is full rather than slow scheduling down.
 */
export const MAX_EVENTS_IN_FLIGHT = 1_000;
/**
 * A repeat of the same event (object, reason, message) within this window bumps the first one's
 * count and lastTimestamp instead of creating another (client-go's event correlator), so a pod
 * retried every 10 s shows "(x12 over 2m)" rather than a dozen Events.
 */
export const EVENT_AGGREGATION_WINDOW_MS = 10 * 60_000;
/** Events remembered for aggregation; the oldest is forgotten beyond this. */
export const EVENT_AGGREGATION_MAX_ENTRIES = 4_096;

export interface PodStatusPatch {
  /** Merged by type (strategic merge): only the conditions named here change. */
  conditions?: PodCondition[];
  /** null clears it. */
  nominatedNodeName?: string | null;
}

export interface SchedulerEvent {
  involvedObject: Pod;
  type: EventType;
  reason: string;
  message: string;
  /** The profile's schedulerName, as upstream reports events per profile. */
  component: string;
}

export interface SchedulerApi {
  /** POST pods/<name>/binding. */
  bind(pod: Pod, nodeName: string): Promise<void>;
  patchPodStatus(pod: Pod, patch: PodStatusPatch): Promise<void>;
  deletePod(pod: Pod): Promise<void>;
  /** Fire and forget. */
  event(event: SchedulerEvent): void;
}

interface RecordedEvent {
  namespace: string;
  name: string;
  count: number;
  firstMs: number;
}

export function restSchedulerApi(client: RestClient, options: { reportingInstance?: string; nowMs?: () => number } = {}): SchedulerApi {
  const pods = client.resource<Pod & KubeObject>(podResource);
  const events = client.resource(eventResource);
  const nowMs = options.nowMs ?? Date.now;
  const recorded = new Map<string, RecordedEvent>();
  let eventsInFlight = 0;
  const remember = (key: string, event: RecordedEvent): void => {
    recorded.delete(key);
    recorded.set(key, event);
    if (recorded.size > EVENT_AGGREGATION_MAX_ENTRIES) recorded.delete(recorded.keys().next().value!);
  };
  return {
    async bind(pod, nodeName) {
      const ns = pod.metadata?.namespace ?? 'default';
      const name = pod.metadata?.name ?? '';
      await client.request({
        method: 'POST',
        path: pods.path(ns, name, 'binding'),
        body: {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, namespace: ns, uid: pod.metadata?.uid },
          target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
        },
      });
    },
    async patchPodStatus(pod, patch) {
      await pods.patch(pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '', { status: patch }, 'strategic', { subresource: 'status' });
    },
    async deletePod(pod) {
      // The uid precondition keeps a preemption from deleting a recreated pod of the same name.
      await pods.delete(pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '', { preconditions: { uid: pod.metadata?.uid } });
    },
    event(event) {
      if (eventsInFlight >= MAX_EVENTS_IN_FLIGHT) return;
      const meta = event.involvedObject.metadata ?? {};
      const key = [meta.namespace, meta.name, meta.uid, event.type, event.reason, event.message, event.component].join('\0');
      const now = nowMs();
      const previous = recorded.get(key);
      eventsInFlight++;
      let write: Promise<unknown>;
      if (previous && now - previous.firstMs < EVENT_AGGREGATION_WINDOW_MS) {
        previous.count++;
        const lastTimestamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
        write = events.patch(previous.namespace, previous.name, { count: previous.count, lastTimestamp }, 'merge');
      } else {
        write = createEvent(client, { ...event, involvedObject: { apiVersion: 'v1', kind: 'Pod', ...event.involvedObject } as KubeObject, reportingInstance: options.reportingInstance, now: new Date(now) }).then(
          (created) => remember(key, { namespace: created.metadata?.namespace ?? '', name: created.metadata?.name ?? '', count: 1, firstMs: now }),
        );
      }
      // A failed patch (the Event expired or was deleted) starts a new one next time.
      write.catch(() => recorded.delete(key)).finally(() => eventsInFlight--);
    },
  };
}
