// Upstream's EndpointSliceTracker: the slices a controller wrote, by Service, with the
// resourceVersion it got back (or "deleted"), so a sync does not act on an informer cache that
// has not caught up with its own writes yet. Shared by the EndpointSlice and mirroring controllers.
import type { KubeObject } from '../../api/object.js';
import type { ReadonlyStore } from '../../client/index.js';

type Expected = number | 'deleted';

export class SliceTracker {
  private readonly expected = new Map<string, Map<string, Expected>>();

  constructor(private readonly cache: ReadonlyStore<KubeObject>) {}

  /** Remembers a write of ours to `slice` for the Service `serviceKey` ("ns/name"). */
  expect(serviceKey: string, slice: KubeObject, state: Expected): void {
    const name = slice.metadata?.name;
    if (!name) return;
    let slices = this.expected.get(serviceKey);
    if (!slices) this.expected.set(serviceKey, (slices = new Map()));
    slices.set(name, state);
  }

  /** A slice deleted by someone else is no longer waited for. */
  forgetSlice(serviceKey: string, sliceName: string): void {
    this.expected.get(serviceKey)?.delete(sliceName);
  }

  forgetService(serviceKey: string): void {
    this.expected.delete(serviceKey);
  }

  /** Whether the cache still lacks a write of ours; writes it has caught up with are forgotten. */
  isStale(serviceKey: string): boolean {
    const slices = this.expected.get(serviceKey);
    if (!slices) return false;
    const namespace = serviceKey.split('/')[0] ?? '';
    let stale = false;
    for (const [name, state] of slices) {
      const cached = this.cache.get(`${namespace}/${name}`);
      const caughtUp = state === 'deleted' ? !cached : cached !== undefined && Number(cached.metadata?.resourceVersion ?? 0) >= state;
      if (caughtUp) slices.delete(name);
      else stale = true;
    }
    if (slices.size === 0) this.expected.delete(serviceKey);
    return stale;
  }
}
