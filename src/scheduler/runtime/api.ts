// Every write the scheduler makes, behind one interface so the wiring can be tested with a fake:
// bindings, pod status patches (PodScheduled, nominatedNodeName, DisruptionTarget), victim
// deletion and Events.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { EventCorrelator, restEventRecorder, type EventRecorder, type EventType, type RestClient } from '../../client/index.js';

export const podResource = { group: '', version: 'v1', resource: 'pods', namespaced: true } as const;

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

export function restSchedulerApi(client: RestClient, options: { reportingInstance?: string; nowMs?: () => number } = {}): SchedulerApi {
  const pods = client.resource<Pod & KubeObject>(podResource);
  const nowMs = options.nowMs ?? Date.now;
  // One recorder per profile (its schedulerName is the events' component), sharing one correlator:
  // a pod retried every 10 s shows "(x12 over 2m)" on one Event rather than a dozen Events.
  const correlator = new EventCorrelator(nowMs);
  const recorders = new Map<string, EventRecorder>();
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
      let recorder = recorders.get(event.component);
      if (!recorder) {
        recorder = restEventRecorder(client, event.component, correlator);
        recorders.set(event.component, recorder);
      }
      recorder.event({ apiVersion: 'v1', kind: 'Pod', ...event.involvedObject } as KubeObject, event.type, event.reason, event.message, { reportingInstance: options.reportingInstance });
    },
  };
}
