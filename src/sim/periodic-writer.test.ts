import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PeriodicWriter } from './periodic-writer.js';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function writer(options: { keys: number; concurrency: number; paused?: Set<string>; fail?: Set<string> }) {
  let now = 0;
  const written: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const pending: (() => void)[] = [];
  const w = new PeriodicWriter({
    name: 'test',
    intervalMs: 10_000,
    concurrency: options.concurrency,
    now: () => now,
    paused: (key) => options.paused?.has(key) ?? false,
    write: async (key) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((resolve) => pending.push(resolve));
      inFlight--;
      if (options.fail?.has(key)) throw new Error('boom');
      written.push(key);
    },
  });
  w.addAll(Array.from({ length: options.keys }, (_, i) => `k${i}`));
  const finishAll = async (): Promise<void> => {
    while (pending.length > 0) {
      for (const resolve of pending.splice(0)) resolve();
      await flush();
    }
  };
  return { w, written, maxInFlight: () => maxInFlight, setNow: (ms: number) => (now = ms), finishAll };
}

test('keys are spread over the interval: a quarter of the way in, a quarter have been written', async () => {
  const t = writer({ keys: 100, concurrency: 1000 });
  t.setNow(2_499);
  t.w.tick();
  await t.finishAll();
  assert.equal(t.written.length, 25);
  t.setNow(9_999);
  t.w.tick();
  await t.finishAll();
  assert.equal(t.written.length, 100);
});

test('no more than the concurrency limit is in flight, and every key is still written', async () => {
  const t = writer({ keys: 50, concurrency: 4 });
  t.setNow(10_000);
  t.w.tick();
  await t.finishAll();
  assert.equal(t.maxInFlight(), 4);
  assert.equal(new Set(t.written).size, 50);
});

test('each key is written once per interval', async () => {
  const t = writer({ keys: 10, concurrency: 100 });
  for (let now = 0; now < 30_000; now += 100) {
    t.setNow(now);
    t.w.tick();
    await t.finishAll();
  }
  assert.equal(t.written.length, 30);
});

test('a paused key is skipped until it resumes; kick makes it due at once', async () => {
  const paused = new Set(['k0']);
  const t = writer({ keys: 2, concurrency: 10, paused });
  t.setNow(20_000);
  t.w.tick();
  await t.finishAll();
  assert.deepEqual(t.written, ['k1']);
  paused.clear();
  t.w.kick('k0');
  await t.finishAll();
  assert.deepEqual(t.written, ['k1', 'k0']);
});

test('a failed write is retried after a second, not a whole interval', async () => {
  const fail = new Set(['k0']);
  const t = writer({ keys: 1, concurrency: 1, fail });
  t.w.tick();
  await t.finishAll();
  assert.equal(t.w.failures, 1);
  fail.clear();
  t.setNow(1_000);
  t.w.tick();
  await t.finishAll();
  assert.deepEqual(t.written, ['k0']);
});
