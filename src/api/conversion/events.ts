// Event core/v1 (storage) <-> events.k8s.io/v1. The two forms hold the same data under
// different names; the events.k8s.io names mark the pre-series fields as deprecated.
import type { KubeObject } from '../object.js';

/** [core/v1 field, events.k8s.io/v1 field] for every field that is renamed or kept. */
const FIELD_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['eventTime', 'eventTime'],
  ['series', 'series'],
  ['reportingComponent', 'reportingController'],
  ['reportingInstance', 'reportingInstance'],
  ['action', 'action'],
  ['reason', 'reason'],
  ['involvedObject', 'regarding'],
  ['related', 'related'],
  ['message', 'note'],
  ['type', 'type'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

function mapFields(event: KubeObject, apiVersion: string, direction: 'toEvents' | 'toCore'): KubeObject {
  const out: KubeObject = { apiVersion, kind: event.kind ?? 'Event' };
  if (event.metadata !== undefined) out.metadata = structuredClone(event.metadata);
  for (const [coreField, eventsField] of FIELD_PAIRS) {
    const [from, to] = direction === 'toEvents' ? [coreField, eventsField] : [eventsField, coreField];
    const value = event[from];
    if (value !== undefined) out[to] = structuredClone(value);
  }
  return out;
}

/** events.k8s.io/v1 tags these omitempty, where core/v1 always writes them (as ""). */
const OMITTED_WHEN_EMPTY_IN_EVENTS_V1 = ['reportingController', 'reportingInstance'];

export function coreEventToEventsV1(event: KubeObject): KubeObject {
  const out = mapFields(event, 'events.k8s.io/v1', 'toEvents');
  for (const key of OMITTED_WHEN_EMPTY_IN_EVENTS_V1) if (out[key] === '') delete out[key];
  return out;
}

export function eventsV1ToCoreEvent(event: KubeObject): KubeObject {
  return mapFields(event, 'v1', 'toCore');
}
