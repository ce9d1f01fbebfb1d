import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ItemExponentialRateLimiter, MaxOfRateLimiter, BucketRateLimiter, defaultControllerRateLimiter } from './rate-limiter.js';
import { TokenBucket } from './token-bucket.js';
import { runWorkers, WorkQueue, WorkQueueFullError } from './workqueue.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('an item added twice before it is taken is handed out once', async () => {
  const queue = new WorkQueue({ name: 'test' });
  queue.add('a');
  queue.add('b');
  queue.add('a');
  assert.equal(queue.len(), 2);
  assert.equal(await queue.get(), 'a');
  assert.equal(await queue.get(), 'b');
  assert.equal(queue.len(), 0);
});

test('an item added while processing is queued again only after done, so no two workers hold it', async () => {
  const queue = new WorkQueue({ name: 'test' });
  queue.add('a');
  const item = await queue.get();
  queue.add('a');
  queue.add('a');
  assert.equal(queue.len(), 0, 'not handed out while processing');
  queue.done(item!);
  assert.equal(queue.len(), 1);
  assert.equal(await queue.get(), 'a');
  queue.done('a');
  assert.equal(queue.len(), 0);
});

test('a waiting get receives the next added item', async () => {
  const queue = new WorkQueue({ name: 'test' });
  const pending = queue.get();
  queue.add('x');
  assert.equal(await pending, 'x');
});

test('addAfter delivers the item after the delay, and the earlier of two delays wins', async () => {
  const queue = new WorkQueue({ name: 'test' });
  const startedMs = performance.now();
  queue.addAfter('late', 200);
  queue.addAfter('late', 30);
  assert.equal(queue.len(), 0);
  assert.equal(await queue.get(), 'late');
  const elapsedMs = performance.now() - startedMs;
  assert.ok(elapsedMs >= 25 && elapsedMs < 190, `took ${elapsedMs} ms`);
  queue.shutDown();
});

test('addRateLimited backs an item off exponentially from 5 ms until forget resets it', () => {
  const limiter = new ItemExponentialRateLimiter<string>(5, 1_000_000);
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.whenMs('a')), [5, 10, 20, 40]);
  assert.equal(limiter.numRequeues('a'), 4);
  assert.equal(limiter.whenMs('b'), 5, 'items back off independently');
  limiter.forget('a');
  assert.equal(limiter.numRequeues('a'), 0);
  assert.equal(limiter.whenMs('a'), 5);
});

test('the per-item backoff is capped at 1000 s', () => {
  const limiter = new ItemExponentialRateLimiter<string>(5, 1_000_000);
  let delayMs = 0;
  for (let i = 0; i < 40; i++) delayMs = limiter.whenMs('a');
  assert.equal(delayMs, 1_000_000);
});

test('the overall bucket lets a burst through at once and then spaces retries at its qps', () => {
  let nowMs = 0;
  const limiter = new BucketRateLimiter<string>(new TokenBucket({ qps: 10, burst: 100, now: () => nowMs }));
  for (let i = 0; i < 100; i++) assert.equal(limiter.whenMs(`item-${i}`), 0);
  assert.equal(limiter.whenMs('one-more'), 100);
  assert.equal(limiter.whenMs('and-another'), 200);
  // A second refills 10 tokens: the 2 lent out are repaid and the next retry goes at once.
  nowMs = 1000;
  assert.equal(limiter.whenMs('later'), 0);
});

test('the default controller limiter is the slower of per-item backoff and the bucket', () => {
  const limiter = defaultControllerRateLimiter<string>();
  assert.ok(limiter instanceof MaxOfRateLimiter);
  assert.equal(limiter.whenMs('a'), 5);
  assert.equal(limiter.whenMs('a'), 10);
  assert.equal(limiter.numRequeues('a'), 2);
});

test('numRequeues counts addRateLimited calls until forget', async () => {
  const queue = new WorkQueue({ name: 'test' });
  queue.addRateLimited('a');
  queue.addRateLimited('a');
  assert.equal(queue.numRequeues('a'), 2);
  queue.forget('a');
  assert.equal(queue.numRequeues('a'), 0);
  queue.shutDown();
});

test('shutDown hands out what is queued, then undefined, and ignores new items', async () => {
  const queue = new WorkQueue({ name: 'test' });
  queue.add('a');
  queue.shutDown();
  queue.add('b');
  assert.equal(await queue.get(), 'a');
  assert.equal(await queue.get(), undefined);
  assert.equal(queue.isShuttingDown(), true);
});

test('shutDown releases a worker waiting in get', async () => {
  const queue = new WorkQueue({ name: 'test' });
  const pending = queue.get();
  queue.shutDown();
  assert.equal(await pending, undefined);
});

test('shutDownWithDrain waits for items being processed to be done', async () => {
  const queue = new WorkQueue({ name: 'test' });
  queue.add('a');
  const item = await queue.get();
  let drained = false;
  const draining = queue.shutDownWithDrain().then(() => (drained = true));
  await sleep(20);
  assert.equal(drained, false);
  queue.done(item!);
  await draining;
  assert.equal(drained, true);
});

test('a queue at its named max length refuses more items', () => {
  const queue = new WorkQueue({ name: 'small', maxLength: 2 });
  queue.add('a');
  queue.add('b');
  queue.add('a');
  assert.throws(() => queue.add('c'), WorkQueueFullError);
});

test('runWorkers forgets items that sync and retries items that fail with backoff', async () => {
  const queue = new WorkQueue({ name: 'workers' });
  const attempts = new Map<string, number>();
  const synced: string[] = [];
  const workers = runWorkers(
    queue,
    2,
    async (key) => {
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      if (key === 'flaky' && attempt < 3) throw new Error('not yet');
      synced.push(key);
      if (synced.length === 2) queue.shutDown();
    },
    { onError: () => undefined },
  );
  queue.add('flaky');
  queue.add('fine');
  await workers;
  assert.deepEqual(synced.sort(), ['fine', 'flaky']);
  assert.equal(attempts.get('flaky'), 3);
  assert.equal(queue.numRequeues('flaky'), 0, 'forgotten after it synced');
});
