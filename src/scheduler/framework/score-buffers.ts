// The per-plugin score arrays of runScorePlugins, reused from cycle to cycle: a fresh array per
// plugin and cycle (500 entries each at 5,000 nodes) was a large share of the scheduler's garbage.

/** Above this many nodes a cycle gets fresh arrays rather than growing the reused ones (80 KB each). */
export const MAX_REUSED_SCORE_BUFFER_NODES = 10_000;

export class ScoreBuffers {
  private readonly buffers: number[][] = [];
  /** Bumped by every cycle: what a cycle wrote into the buffers is valid until the next one starts. */
  private cycle = 0;

  /** Starts a scoring cycle, after which the previous one's buffers may be overwritten. Returns its number. */
  startCycle(): number {
    return ++this.cycle;
  }

  /** Whether the arrays handed out in `cycle` still hold what it wrote. */
  isCurrent(cycle: number): boolean {
    return cycle === this.cycle;
  }

  /** The `index`-th plugin's array for `length` nodes; its entries are left over from earlier cycles. */
  get(index: number, length: number): number[] {
    if (length > MAX_REUSED_SCORE_BUFFER_NODES) return new Array<number>(length);
    const buffer = (this.buffers[index] ??= []);
    // Setting the length is a runtime call even when unchanged, and most cycles score as many nodes as the last.
    if (buffer.length !== length) buffer.length = length;
    return buffer;
  }
}
