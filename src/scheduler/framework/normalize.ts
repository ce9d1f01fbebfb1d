// The normalisation most score plugins share: scale so the best node gets MAX_NODE_SCORE.
import { MAX_NODE_SCORE, type NodeScore } from './interface.js';

/** `reverse` turns "higher raw score is worse" (e.g. untolerated taints) into a 0..100 score. */
export function defaultNormalizeScore(scores: NodeScore[], reverse: boolean, maxPriority = MAX_NODE_SCORE): void {
  let max = 0;
  for (const s of scores) max = Math.max(max, s.score);
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    // Integer division as upstream, so scores are the same whole numbers.
    let score = Math.trunc((maxPriority * s.score) / max);
    if (reverse) score = maxPriority - score;
    s.score = score;
  }
}
