// Event printer (core/v1 and events.k8s.io/v1 share storage upstream, hence one printer).
// LAST SEEN falls back to first-seen, which falls back to eventTime; a series overrides
// both last-seen and count; singleton events without a count show 1.
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Event as EventsV1Event } from 'kubernetes-types/events/v1.js';
import type { KubeObject } from '../object.js';
import { parseTimestamp, translateTimestampSince } from './format.js';
import { column, NAME_DESCRIPTION, type TablePrinter } from './types.js';

function eventSource(event: CoreEvent): string {
  const component = event.source?.component || event.reportingComponent || '';
  const instance = event.source?.host || event.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: TablePrinter = {
  columns: [
    column('Last Seen', 'string', 'When the event was most recently observed.'),
    column('Type', 'string', 'Type of the event: Normal or Warning.'),
    column('Reason', 'string', 'Short machine-readable reason for the event.'),
    column('Object', 'string', 'The object the event is about, as kind/name.'),
    column('Subobject', 'string', 'Field path within the object, such as a container.', { priority: 1 }),
    column('Source', 'string', 'Component (and host) that reported the event.', { priority: 1 }),
    column('Message', 'string', 'Human-readable description of the event.'),
    column('First Seen', 'string', 'When the event was first observed.', { priority: 1 }),
    column('Count', 'string', 'How many times the event has occurred.', { priority: 1 }),
    column('Name', 'string', NAME_DESCRIPTION, { priority: 1, format: 'name' }),
  ],
  cells(obj, now) {
    const event = obj as unknown as CoreEvent;
    const first =
      parseTimestamp(event.firstTimestamp) !== undefined
        ? translateTimestampSince(event.firstTimestamp, now)
        : translateTimestampSince(event.eventTime, now);
    let last = parseTimestamp(event.lastTimestamp) !== undefined ? translateTimestampSince(event.lastTimestamp, now) : first;
    let count = event.count ?? 0;
    if (event.series) {
      last = translateTimestampSince(event.series.lastObservedTime, now);
      count = event.series.count ?? 0;
    } else if (count === 0) {
      count = 1;
    }
    const kind = (event.involvedObject?.kind ?? '').toLowerCase();
    const target = event.involvedObject?.name ? `${kind}/${event.involvedObject.name}` : kind;
    return [
      last,
      event.type ?? '',
      event.reason ?? '',
      target,
      event.involvedObject?.fieldPath ?? '',
      eventSource(event),
      (event.message ?? '').trim(),
      first,
      count,
      event.metadata?.name ?? '',
    ];
  },
};

/** Maps an events.k8s.io/v1 Event onto core/v1 field names (upstream converts both to one internal type). */
export function eventsV1ToCore(event: EventsV1Event): CoreEvent {
  const core: CoreEvent = {
    metadata: event.metadata ?? {},
    involvedObject: event.regarding ?? {},
  };
  if (event.related) core.related = event.related;
  if (event.note !== undefined) core.message = event.note;
  if (event.reason !== undefined) core.reason = event.reason;
  if (event.type !== undefined) core.type = event.type;
  if (event.action !== undefined) core.action = event.action;
  if (event.eventTime !== undefined) core.eventTime = event.eventTime;
  if (event.deprecatedFirstTimestamp !== undefined) core.firstTimestamp = event.deprecatedFirstTimestamp;
  if (event.deprecatedLastTimestamp !== undefined) core.lastTimestamp = event.deprecatedLastTimestamp;
  if (event.deprecatedCount !== undefined) core.count = event.deprecatedCount;
  if (event.deprecatedSource !== undefined) core.source = event.deprecatedSource;
  if (event.reportingController !== undefined) core.reportingComponent = event.reportingController;
  if (event.reportingInstance !== undefined) core.reportingInstance = event.reportingInstance;
  if (event.series) core.series = { count: event.series.count, lastObservedTime: event.series.lastObservedTime };
  return core;
}

export const eventsV1Printer: TablePrinter = {
  columns: eventPrinter.columns,
  cells(obj, now) {
    return eventPrinter.cells(eventsV1ToCore(obj as unknown as EventsV1Event) as unknown as KubeObject, now);
  },
};
