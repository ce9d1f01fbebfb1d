// Controllers record events with client-go's recorder (src/client/event-recorder.ts), which
// correlates them (spam filter, aggregation, count patches) and bounds the writes in flight.
import type { KubeObject } from '../../api/object.js';
import type { EventRecorder, EventType } from '../../client/index.js';

export { eventBacklogMax, eventWritesInFlightMax, restEventRecorder, type EventRecorder } from '../../client/index.js';

/** For unit tests: remembers events as "<Type> <Reason> <message>". */
export class RecordingEventRecorder implements EventRecorder {
  readonly events: string[] = [];

  event(_object: KubeObject, type: EventType, reason: string, message: string): void {
    this.events.push(`${type} ${reason} ${message}`);
  }
}
