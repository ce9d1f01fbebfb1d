// client-go's flowcontrol.Backoff as the DaemonSet controller uses it for failed daemon pods: a
// per (DaemonSet, node) delay doubling from 1 s to 15 min.
/** Upstream's failedPodsBackoff: 1 s initial delay, 15 min maximum. */
export const failedPodBackoffInitialMs = 1_000;
export const failedPodBackoffMaxMs = 15 * 60_000;
/** Entries kept; the oldest are dropped beyond it (a node or DaemonSet that went away). */
export const failedPodBackoffEntriesMax = 10_000;

interface Entry {
  delayMs: number;
  lastUpdateMs: number;
}

export class FailedPodsBackoff {
  private readonly entries = new Map<string, Entry>();

  get(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Starts or doubles the delay; an entry untouched for twice the maximum starts over. */
  next(key: string, nowMs: number): void {
    const entry = this.entries.get(key);
    if (!entry || nowMs - entry.lastUpdateMs > 2 * failedPodBackoffMaxMs) {
      this.entries.delete(key);
      if (this.entries.size >= failedPodBackoffEntriesMax) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { delayMs: failedPodBackoffInitialMs, lastUpdateMs: nowMs });
      return;
    }
    entry.delayMs = Math.min(entry.delayMs * 2, failedPodBackoffMaxMs);
    entry.lastUpdateMs = nowMs;
  }

  isInBackOffSinceUpdate(key: string, nowMs: number): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && nowMs - entry.lastUpdateMs < entry.delayMs;
  }
}
