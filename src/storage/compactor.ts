// Trims the store's history: keeps at least `windowMs` of revisions and never fewer than
// `minRevisions`, so watchers that fall further behind get 410 Gone and relist.
import type { Store } from './types.js';

export interface CompactorOptions {
  windowMs: number;
  minRevisions: number;
  /** How often to look; defaults to a fifth of the window, between 1 s and 60 s. */
  intervalMs?: number;
}

/** Samples older than the window are dropped; this bounds the sample list. */
const maxSamples = 1_000;

export class Compactor {
  private readonly samples: { atMs: number; revision: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly options: CompactorOptions,
  ) {}

  start(): void {
    const interval = this.options.intervalMs ?? Math.min(60_000, Math.max(1_000, this.options.windowMs / 5));
    this.timer = setInterval(() => void this.tick(), interval);
    this.timer.unref();
    void this.tick();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.running;
  }

  /** One compaction pass; exported for tests. */
  async tick(now = Date.now()): Promise<void> {
    this.running = this.running.then(async () => {
      const revision = await this.store.currentRevision();
      this.samples.push({ atMs: now, revision });
      if (this.samples.length > maxSamples) this.samples.shift();
      // The newest revision that is already older than the window.
      let target = 0;
      while (this.samples.length > 0 && this.samples[0]!.atMs <= now - this.options.windowMs) target = this.samples.shift()!.revision;
      target = Math.min(target, revision - this.options.minRevisions);
      if (target > (await this.store.compactedRevision())) await this.store.compact(target);
    }).catch((error: Error) => {
      process.stderr.write(`k8ts: compaction failed: ${error.message}\n`);
    });
    return this.running;
  }
}

/** Parses durations as Go and kubectl write them: "300ms", "5s", "5m", "1h30m". */
export function parseDurationMs(text: string): number {
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    const value = Number(match[1]);
    total += value * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += match[0].length;
  }
  if (text === '0') return 0;
  if (consumed !== text.length || text.length === 0) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return total;
}
