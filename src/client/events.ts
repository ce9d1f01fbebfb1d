// core/v1 Events as controllers emit them (client-go's record.EventRecorder, without its
// aggregation): one Event per call, named "<object>.<hex nanoseconds>" as upstream names them.
import type { KubeObject } from '../api/object.js';
import type { RestClient } from './rest.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSpec {
  involvedObject: KubeObject;
  type: EventType;
  /** UpperCamelCase, machine-readable: "FailedScheduling", "SuccessfulCreate". */
  reason: string;
  message: string;
  /** The component that reports it, e.g. "replicaset-controller", "default-scheduler". */
  component: string;
  /** The node a kubelet reports from. */
  host?: string;
  /** Which instance of the component (e.g. the pod or leader identity). */
  reportingInstance?: string;
  now?: Date;
}

/** Upstream truncates event messages to 1 KiB. */
export const eventMessageMaxBytes = 1024;

export const eventResource = { group: '', version: 'v1', resource: 'events', namespaced: true } as const;

export function buildEvent(spec: EventSpec): KubeObject {
  const meta = spec.involvedObject.metadata ?? {};
  const now = spec.now ?? new Date();
  const namespace = meta.namespace || 'default';
  const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
  const timestamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${meta.name ?? 'unknown'}.${nanos.toString(16)}`, namespace },
    involvedObject: {
      apiVersion: spec.involvedObject.apiVersion,
      kind: spec.involvedObject.kind,
      namespace: meta.namespace,
      name: meta.name,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
    },
    reason: spec.reason,
    message: truncate(spec.message),
    type: spec.type,
    source: spec.host ? { component: spec.component, host: spec.host } : { component: spec.component },
    firstTimestamp: timestamp,
    lastTimestamp: timestamp,
    count: 1,
    reportingComponent: spec.component,
    reportingInstance: spec.reportingInstance ?? spec.host ?? '',
  };
  return event;
}

/** Creates the Event; callers usually ignore failures (`.catch(() => {})`), as events are best effort. */
export function createEvent(client: RestClient, spec: EventSpec): Promise<KubeObject> {
  const event = buildEvent(spec);
  return client.resource(eventResource).create(event.metadata?.namespace, event);
}

function truncate(message: string): string {
  if (Buffer.byteLength(message) <= eventMessageMaxBytes) return message;
  return Buffer.from(message).subarray(0, eventMessageMaxBytes - 3).toString('utf8').replace(/\uFFFD$/, '') + '...';
}
