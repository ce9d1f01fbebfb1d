// Per-zone NoExecute taint queues and their rates (upstream's zoneNoExecuteTainter, zoneStates,
// handleDisruption and setLimiterInZone): a zone losing most of its nodes at once is more likely
// cut off than broken, so its evictions slow down or stop; when every zone is fully down,
// this controller is probably the one cut off, and nothing is evicted at all.
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../common/clock.js';
import type { NodeLifecycleSettings } from '../context.js';
import { RateLimitedTimedQueue } from './rate-limited-queue.js';
import { computeZoneState, zoneKey, type ZoneState } from './zones.js';

/** What the controller must do after a pass changed the cluster-wide disruption mode. */
export type DisruptionChange = 'enteredFullDisruption' | 'leftFullDisruption' | undefined;

export class ZoneTainters {
  readonly states = new Map<string, ZoneState>();
  private readonly queues = new Map<string, RateLimitedTimedQueue>();

  constructor(private readonly clock: Clock, private readonly settings: Required<NodeLifecycleSettings>) {}

  /** The node's zone queue, created (at the normal rate, state Initial) for a zone seen first. */
  forNode(node: Node): RateLimitedTimedQueue {
    const zone = zoneKey(node);
    let queue = this.queues.get(zone);
    if (!queue) {
      queue = new RateLimitedTimedQueue(this.clock, this.settings.nodeEvictionRate);
      this.queues.set(zone, queue);
      this.states.set(zone, 'Initial');
    }
    return queue;
  }

  /** Removes the node from its zone's queue (it is healthy again, or gone). */
  remove(node: Node): void {
    this.queues.get(zoneKey(node))?.remove(node.metadata?.name ?? '');
  }

  all(): IterableIterator<RateLimitedTimedQueue> {
    return this.queues.values();
  }

  /** Recomputes every zone's state from this pass's Ready conditions and sets the rates. */
  update(zoneConditions: ReadonlyMap<string, readonly (NodeCondition | undefined)[]>): DisruptionChange {
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, conditions] of zoneConditions) {
      const { state } = computeZoneState(conditions, this.settings.unhealthyZoneThreshold);
      newStates.set(zone, state);
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of this.states) {
      if (!zoneConditions.has(zone)) {
        this.states.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return undefined;
    if (allAreFullyDisrupted) {
      for (const queue of this.queues.values()) queue.swapLimiter(0);
      for (const zone of this.states.keys()) this.states.set(zone, 'FullDisruption');
      return 'enteredFullDisruption';
    }
    for (const [zone, state] of this.states) {
      const newState = newStates.get(zone) ?? 'Normal';
      // Leaving full disruption, every zone's rate is set afresh; otherwise only changed ones.
      if (state === newState && !allWasFullyDisrupted) continue;
      this.setRate(zone, zoneConditions.get(zone)?.length ?? 0, newState);
      this.states.set(zone, newState);
    }
    return allWasFullyDisrupted ? 'leftFullDisruption' : undefined;
  }

  private setRate(zone: string, zoneSize: number, state: ZoneState): void {
    const queue = this.queues.get(zone);
    if (!queue) return;
    if (state === 'Normal' || state === 'FullDisruption') queue.swapLimiter(this.settings.nodeEvictionRate);
    // A partly failed small cluster stops evicting; a large one slows down.
    else if (state === 'PartialDisruption') queue.swapLimiter(zoneSize > this.settings.largeClusterSizeThreshold ? this.settings.secondaryNodeEvictionRate : 0);
  }
}
