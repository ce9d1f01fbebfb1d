// Fakes for controller unit tests: an informer view over a plain Store.
import type { KubeObject } from '../api/object.js';
import { Store, type EventHandlers } from '../client/index.js';
import type { InformerView } from './informer-view.js';

export function fakeInformer(objects: KubeObject[] = []): InformerView & { store: Store; handlers: EventHandlers<KubeObject>[] } {
  const store = new Store();
  for (const object of objects) store.upsert(object);
  const handlers: EventHandlers<KubeObject>[] = [];
  return {
    store,
    handlers,
    cache: store,
    addEventHandler(h) {
      handlers.push(h);
      return () => undefined;
    },
    waitForSync: async () => true,
  };
}
