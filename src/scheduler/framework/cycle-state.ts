// Per-pod scratch space shared by a profile's plugins during one scheduling cycle: PreFilter
// and PreScore compute once, Filter and Score read it for every node.
import type { FilterPlugin } from './interface.js';
import type { Snapshot } from './snapshot.js';

export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Scores are skipped for plugins whose PreScore answered Skip; likewise filters. */
  readonly skipFilterPlugins = new Set<string>();
  readonly skipScorePlugins = new Set<string>();
  /** The framework's memo of the filters left after skipFilterPlugins; not copied by clone(). */
  filtersToRun: { from: readonly FilterPlugin[]; skippedCount: number; plugins: readonly FilterPlugin[] } | undefined;

  constructor(readonly snapshot: Snapshot) {}

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
  /** Preemption simulates removals on a copy; plugin data is treated as immutable once written. */
  clone(snapshot: Snapshot = this.snapshot): CycleState {
    const copy = new CycleState(snapshot);
    for (const [k, v] of this.data) copy.data.set(k, v);
    for (const p of this.skipFilterPlugins) copy.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) copy.skipScorePlugins.add(p);
    return copy;
  }
}
