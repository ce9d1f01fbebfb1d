// client-go's flowcontrol.Backoff as the kubelet uses it for CrashLoopBackOff and
// ImagePullBackOff: per key, the delay starts at 10 s and doubles to 5 min; a key untouched for
// twice the maximum starts over.
import type { Clock } from '../../controllers/common/clock.js';
import { containerBackOffInitialMs, containerBackOffMaxMs } from '../limits.js';

interface Entry {
  delayMs: number;
  lastUpdateMs: number;
}

export class BackOff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock, private readonly initialMs = containerBackOffInitialMs, private readonly maxMs = containerBackOffMaxMs) {}

  /** The current delay of a key (0 when it has none). */
  delayMs(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Records one more failure: the first gives the initial delay, each next one doubles it. */
  next(key: string, nowMs = this.clock.now()): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, nowMs)) {
      this.entries.set(key, { delayMs: this.initialMs, lastUpdateMs: nowMs });
      return;
    }
    entry.delayMs = Math.min(entry.delayMs * 2, this.maxMs);
    entry.lastUpdateMs = nowMs;
  }

  /** True while less than the key's delay has passed since `eventMs` (when the container died). */
  isInBackOffSince(key: string, eventMs: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || eventMs - entry.lastUpdateMs > this.maxMs * 2) return false;
    return this.clock.now() - eventMs < entry.delayMs;
  }

  /** True while less than the key's delay has passed since its last failure (image pulls). */
  isInBackOffSinceUpdate(key: string): boolean {
    return this.remainingSinceUpdateMs(key) > 0;
  }

  /** How long until the back-off since the last failure ends (0 when it has). */
  remainingSinceUpdateMs(key: string): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    return Math.max(0, entry.lastUpdateMs + entry.delayMs - this.clock.now());
  }

  /** When a back-off that started at `eventMs` ends. */
  endsAtMs(key: string, eventMs: number): number {
    return eventMs + this.delayMs(key);
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops keys with this prefix (a pod's containers, once the pod is gone). */
  forgetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private expired(entry: Entry, nowMs: number): boolean {
    return nowMs - entry.lastUpdateMs > this.maxMs * 2;
  }
}

/** "10s", "1m20s", "5m0s": Go's time.Duration formatting for whole seconds, as the message shows it. */
export function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${seconds % 60}s`;
}
