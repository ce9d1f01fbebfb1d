// client-go's EventRecorder for controllers: best effort, never failing a sync. Writes run with a
// bounded number in flight; beyond the backlog limit events are dropped (as upstream's broadcaster
// drops when its channel is full) rather than letting a storm of events eat memory.
import type { KubeObject } from '../../api/object.js';
import { createEvent, type EventType, type RestClient } from '../../client/index.js';

/** Event writes in flight at once per recorder. */
export const eventWritesInFlightMax = 8;
/** Events waiting to be written per recorder; more are dropped. */
export const eventBacklogMax = 1000;

export interface EventRecorder {
  event(object: KubeObject, type: EventType, reason: string, message: string): void;
}

export function restEventRecorder(client: RestClient, component: string): EventRecorder {
  const backlog: (() => Promise<unknown>)[] = [];
  let inFlight = 0;
  const pump = (): void => {
    while (inFlight < eventWritesInFlightMax && backlog.length > 0) {
      const write = backlog.shift()!;
      inFlight++;
      write()
        .catch(() => undefined)
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };
  return {
    event(object, type, reason, message) {
      if (backlog.length >= eventBacklogMax) return;
      backlog.push(() => createEvent(client, { involvedObject: object, type, reason, message, component }));
      pump();
    },
  };
}

/** For unit tests: remembers events as "<Type> <Reason> <message>". */
export class RecordingEventRecorder implements EventRecorder {
  readonly events: string[] = [];

  event(_object: KubeObject, type: EventType, reason: string, message: string): void {
    this.events.push(`${type} ${reason} ${message}`);
  }
}
