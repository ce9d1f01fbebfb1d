import assert from 'node:assert/strict';
import { extname } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { SchedulerThread } from './scheduler-thread.js';

const standIn = new URL(`./testdata/stand-in-scheduler-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
const rest = { server: 'https://127.0.0.1:1' };

function thread(behaviour: string, accepted: MessagePort[], logs: string[]): { start: () => Promise<void>; stop: () => Promise<void> } {
  const running = new SchedulerThread({
    module: standIn,
    acceptChannel: (port) => {
      accepted.push(port);
      port.close();
    },
    log: (message) => logs.push(message),
  });
  // The stand-in reads how to behave from the run message's data.
  return { start: () => running.start({ rest, behaviour } as never), stop: () => running.stop() };
}

test('start resolves once the thread says it runs; its request channel reaches acceptChannel; stop ends it', async () => {
  const accepted: MessagePort[] = [];
  const logs: string[] = [];
  const running = thread('run', accepted, logs);
  await running.start();
  for (let i = 0; i < 50 && accepted.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(accepted.length, 1);
  const stoppedAt = performance.now();
  await running.stop();
  assert.ok(performance.now() - stoppedAt < 5_000);
  assert.deepEqual(logs, []);
});

test('a thread that fails to run its scheduler makes start reject', async () => {
  const running = thread('throw', [], []);
  await assert.rejects(running.start(), /stand-in failed to run/);
  await running.stop();
});

test('a thread that exits on its own is started again after a back-off, and says so', async () => {
  const accepted: MessagePort[] = [];
  const logs: string[] = [];
  const running = thread('exit-after-start', accepted, logs);
  await running.start();
  for (let i = 0; i < 150 && accepted.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  await running.stop();
  assert.equal(accepted.length, 2, logs.join('\n'));
  assert.match(logs[0] ?? '', /the scheduler thread exited with code 3; starting it again in 1 s/);
});

test('a loaded thread that dies before it is told to run is spawned again by start', async () => {
  const accepted: MessagePort[] = [];
  const logs: string[] = [];
  const running = new SchedulerThread({ module: standIn, acceptChannel: (port) => (accepted.push(port), port.close()), log: (message) => logs.push(message) });
  // A worker's environment is a copy of ours when it is spawned.
  process.env.K8TS_STAND_IN_EXIT_ON_LOAD = '1';
  running.load();
  delete process.env.K8TS_STAND_IN_EXIT_ON_LOAD;
  await new Promise((resolve) => setTimeout(resolve, 500));
  await running.start({ rest, behaviour: 'run' } as never);
  await running.stop();
  assert.equal(accepted.length, 1);
});
