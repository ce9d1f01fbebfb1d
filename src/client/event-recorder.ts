// client-go's EventRecorder: best effort, never failing its caller. Events go through the
// correlator (spam filter, aggregation, de-duplication into count patches), then are written with
// a bounded number in flight; beyond the backlog limit events are dropped (as upstream's
// broadcaster drops when its channel is full) rather than letting a storm of events eat memory.
import type { KubeObject } from '../api/object.js';
import { isNotFound } from './errors.js';
import { EventCorrelator } from './event-correlator.js';
import { buildEvent, eventResource, type EventSpec, type EventType } from './events.js';
import type { RestClient } from './rest.js';

/** Event writes in flight at once per recorder. */
export const eventWritesInFlightMax = 8;
/** Events waiting to be written per recorder; more are dropped. */
export const eventBacklogMax = 1000;

export interface EventRecorder {
  event(object: KubeObject, type: EventType, reason: string, message: string, extra?: Pick<EventSpec, 'host' | 'reportingInstance'> & { fieldPath?: string }): void;
}

export function restEventRecorder(client: RestClient, component: string, correlator = new EventCorrelator()): EventRecorder {
  const events = client.resource(eventResource);
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
  const write = async (event: KubeObject): Promise<void> => {
    const decision = correlator.correlate(event);
    const namespace = event.metadata?.namespace;
    if (decision.action === 'drop') return;
    if (decision.action === 'create') {
      await events.create(namespace, decision.event);
      return;
    }
    try {
      await events.patch(namespace, decision.event.metadata?.name ?? '', decision.patch, 'merge');
    } catch (error) {
      // Gone (events expire after an hour): send it whole again under the same name, as upstream.
      if (!isNotFound(error)) throw error;
      await events.create(namespace, decision.event);
    }
  };
  return {
    event(object, type, reason, message, extra = {}) {
      if (backlog.length >= eventBacklogMax) return;
      const event = buildEvent({ involvedObject: object, type, reason, message, component, host: extra.host, reportingInstance: extra.reportingInstance });
      if (extra.fieldPath) (event['involvedObject'] as Record<string, unknown>)['fieldPath'] = extra.fieldPath;
      backlog.push(() => write(event));
      pump();
    },
  };
}
