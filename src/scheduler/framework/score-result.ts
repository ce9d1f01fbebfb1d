// What runScorePlugins (framework.ts) builds: totals and per-plugin scores as plain numbers indexed
// like the nodes, with the by-name views made only for whoever reads them.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from './cycle-state.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE, type NodeScore, type ScorePlugin } from './interface.js';
import type { NodeInfo } from './node-info.js';
import type { ScoreBuffers } from './score-buffers.js';
import { Status } from './status.js';

export interface ScoreResult {
  /** The weighted sum of every plugin's normalised score, per node, in the order of the nodes scored. */
  totals: number[];
  /**
   * Plugin name -> normalised, unweighted scores; for debugging and tests. Built when first read,
   * which must be before the framework's next runScorePlugins (that one reuses the arrays).
   */
  readonly byPlugin: Map<string, NodeScore[]>;
}

/**
 * Scores as plain numbers indexed like the nodes, the per-plugin ones in reused buffers: a
 * { name, score } object per node and plugin was most of a cycle's garbage. The by-name view is
 * only built for whoever asks for it.
 */
export function scoreResult(
  nodes: readonly NodeInfo[],
  totals: number[],
  perPlugin: ReadonlyArray<readonly [string, number[]]>,
  buffers: ScoreBuffers,
  cycle: number,
): ScoreResult {
  let byPlugin: Map<string, NodeScore[]> | undefined;
  return {
    totals,
    get byPlugin() {
      if (!byPlugin && !buffers.isCurrent(cycle)) throw new Error('ScoreResult.byPlugin read after a later runScorePlugins reused its buffers');
      byPlugin ??= new Map(perPlugin.map(([name, scores]) => [name, nodeScores(nodes, scores)]));
      return byPlugin;
    },
  };
}

/** Pairs each node's name with its score (scores indexed like nodes). */
export function nodeScores(nodes: readonly NodeInfo[], scores: readonly number[]): NodeScore[] {
  const out = new Array<NodeScore>(nodes.length);
  for (let i = 0; i < nodes.length; i++) out[i] = { name: nodes[i]!.name, score: scores[i]! };
  return out;
}

/** Sized up front, as growing by push copies; filled by a loop, which measured faster than fill(0). */
export function zeros(length: number): number[] {
  const out = new Array<number>(length);
  for (let i = 0; i < length; i++) out[i] = 0;
  return out;
}

/**
 * The plugin's raw score for every node into `out`; the first error Status, if any. For plugins
 * without scoreNodes; the method is looked up once rather than on the plugin object per node.
 */
export function scoreEachNode(plugin: ScorePlugin, state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: number[]): Status | undefined {
  const score = plugin.score;
  for (let i = 0; i < nodes.length; i++) {
    const s = score.call(plugin, state, pod, nodes[i]!);
    if (s instanceof Status) return s;
    out[i] = s;
  }
  return undefined;
}

/** totals += scores * weight; stops at, and returns, the first score outside MIN..MAX_NODE_SCORE. */
export function addWeighted(totals: number[], scores: readonly number[], weight: number): number | undefined {
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (score < MIN_NODE_SCORE || score > MAX_NODE_SCORE) return score;
    totals[i] = totals[i]! + score * weight;
  }
  return undefined;
}
