import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { CommandError, runCommand, runLocally, stopSpawnHelper, useSpawnHelper } from './run-command.js';

test('a command gets its input and environment and gives back its output', async () => {
  const result = await runLocally('/bin/sh', ['-c', 'read line; echo "$line $GREETING"; echo warn >&2'], { input: 'hello\n', env: { GREETING: 'world' } });
  assert.deepEqual(result, { stdout: 'hello world\n', stderr: 'warn\n' });
});

test('a failing command rejects with its exit code and output, as execFile does', async () => {
  const error = await runLocally('/bin/sh', ['-c', 'echo out; echo bad >&2; exit 3']).catch((e: unknown) => e);
  assert.ok(error instanceof CommandError);
  assert.equal(error.code, 3);
  assert.equal(error.stdout, 'out\n');
  assert.equal(error.stderr, 'bad\n');
  assert.match(error.message, /Command failed: \/bin\/sh/);
});

test('a command past its timeout is killed', async () => {
  const error = await runLocally('/bin/sleep', ['5'], { timeoutMs: 100 }).catch((e: unknown) => e);
  assert.ok(error instanceof CommandError);
  assert.equal(error.signal, 'SIGTERM');
});

// The helper is the compiled spawn-helper.js beside this module (npm test runs from dist/).
const helperBuilt = existsSync(new URL('./spawn-helper.js', import.meta.url));

test('through the spawn helper, commands behave the same', { skip: !helperBuilt && 'runs from the compiled dist/' }, async () => {
  useSpawnHelper();
  try {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => runCommand('/bin/sh', ['-c', 'echo "$$ $N"'], { env: { N: String(i) } })));
    const pids = new Set(results.map((r) => r.stdout.split(' ')[0]));
    assert.equal(pids.size, 20);
    assert.deepEqual(results.map((r) => r.stdout.trim().split(' ')[1]), Array.from({ length: 20 }, (_, i) => String(i)));
    const error = await runCommand('/bin/sh', ['-c', 'echo nope >&2; exit 7'], { input: 'x' }).catch((e: unknown) => e);
    assert.ok(error instanceof CommandError);
    assert.equal(error.code, 7);
    assert.equal(error.stderr, 'nope\n');
  } finally {
    stopSpawnHelper();
  }
});
