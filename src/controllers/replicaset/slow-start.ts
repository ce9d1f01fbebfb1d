// Upstream's slowStartBatch: creations go out in batches of 1, 2, 4, … so that a template the API
// refuses (quota, admission) fails after one request, not after hundreds.

/** Upstream's SlowStartInitialBatchSize. */
export const slowStartInitialBatchSize = 1;

/**
 * Calls fn count times in doubling batches, each batch in parallel; stops after the first batch
 * with a failure. Resolves with the number of successful calls and the first error, if any.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batchSize = Math.min(remaining, initialBatchSize); batchSize > 0; batchSize = Math.min(2 * batchSize, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batchSize }, () => fn()));
    const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    successes += batchSize - failures.length;
    if (failures.length > 0) return { successes, error: failures[0]!.reason };
    remaining -= batchSize;
  }
  return { successes };
}
