// Upstream's ControllerExpectations (pkg/controller/controller_utils.go): a controller that just
// asked for N creations or deletions does not act again for that owner until its informer has
// seen them (or the expectations expire), so it never over-creates while its writes are in flight.
import type { Clock } from './clock.js';

/** Upstream's ExpectationsTimeout: unmet expectations are forgotten after 5 minutes. */
export const expectationsTimeoutMs = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  timestamp: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** True when the owner's controller may sync: nothing pending, or the wait expired. */
  satisfiedExpectations(key: string): boolean {
    const expectation = this.byKey.get(key);
    if (!expectation) return true;
    if (expectation.add <= 0 && expectation.del <= 0) return true;
    return this.clock.now() - expectation.timestamp > expectationsTimeoutMs;
  }

  expectCreations(key: string, adds: number): void {
    this.byKey.set(key, { add: adds, del: 0, timestamp: this.clock.now() });
  }

  expectDeletions(key: string, dels: number): void {
    this.byKey.set(key, { add: 0, del: dels, timestamp: this.clock.now() });
  }

  /** Upstream's SetExpectations: creations and deletions at once (the DaemonSet controller does both in one pass). */
  setExpectations(key: string, adds: number, dels: number): void {
    this.byKey.set(key, { add: adds, del: dels, timestamp: this.clock.now() });
  }

  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  /** A create or delete that failed will never be observed: stop waiting for it. */
  lowerExpectations(key: string, adds: number, dels: number): void {
    this.lower(key, adds, dels);
  }

  deleteExpectations(key: string): void {
    this.byKey.delete(key);
  }

  private lower(key: string, adds: number, dels: number): void {
    const expectation = this.byKey.get(key);
    if (!expectation) return;
    expectation.add -= adds;
    expectation.del -= dels;
  }
}

/**
 * Upstream's UIDTrackingControllerExpectations: deletions are tracked by pod key, so a deletion
 * observed twice (the update setting deletionTimestamp, then the delete) is counted once.
 */
export class UidTrackingExpectations extends ControllerExpectations {
  private readonly pendingDeletes = new Map<string, Set<string>>();

  expectDeletionsOf(key: string, podKeys: readonly string[]): void {
    this.pendingDeletes.set(key, new Set(podKeys));
    this.expectDeletions(key, podKeys.length);
  }

  deletionObservedOf(key: string, podKey: string): void {
    const pending = this.pendingDeletes.get(key);
    if (!pending?.delete(podKey)) return;
    this.deletionObserved(key);
  }

  override deleteExpectations(key: string): void {
    this.pendingDeletes.delete(key);
    super.deleteExpectations(key);
  }
}
