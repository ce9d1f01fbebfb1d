// The normalisation most score plugins share: scale so the best node gets MAX_NODE_SCORE.
import { MAX_NODE_SCORE } from './interface.js';

/** `reverse` turns "higher raw score is worse" (e.g. untolerated taints) into a 0..100 score. */
export function defaultNormalizeScore(scores: number[], reverse: boolean, maxPriority = MAX_NODE_SCORE): void {
  let max = 0;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]!);
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    // Integer division as upstream, so scores are the same whole numbers.
    let score = Math.trunc((maxPriority * scores[i]!) / max);
    if (reverse) score = maxPriority - score;
    scores[i] = score;
  }
}
