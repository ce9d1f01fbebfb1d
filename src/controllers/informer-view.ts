// What a controller needs from a shared informer: its cache and its handlers. A SharedInformer
// satisfies it; unit tests pass a Store and record the handlers.
import type { KubeObject } from '../api/object.js';
import { DeletedFinalStateUnknown, type EventHandlers } from '../client/index.js';
import type { ReadonlyStore } from '../client/index.js';

export interface InformerView<T extends KubeObject = KubeObject> {
  readonly cache: ReadonlyStore<T>;
  addEventHandler(handlers: EventHandlers<T>): () => void;
  waitForSync(timeoutMs?: number): Promise<boolean>;
}

/** The object itself, or the last state known of one deleted while we were not watching. */
export function unwrapDeleted<T extends KubeObject>(object: T | DeletedFinalStateUnknown<T>): T {
  return object instanceof DeletedFinalStateUnknown ? object.obj : object;
}

/** A namespace's phase as the API server reports it; a namespace without status is Active. */
export function namespacePhase(namespace: KubeObject): 'Active' | 'Terminating' {
  return (namespace.status as { phase?: string } | undefined)?.phase === 'Terminating' ? 'Terminating' : 'Active';
}
