import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { execInContainer } from './exec.js';

const runtime = { exec: async (_id: string, cmd: string[]) => spawn(cmd[0]!, cmd.slice(1)) };

test('exit 0 succeeds with the output; non-zero fails', async () => {
  assert.deepEqual(await execInContainer(runtime, 'c', ['sh', '-c', 'echo hi'], 2000), { ok: true, exitCode: 0, output: 'hi\n', timedOut: false });
  assert.equal((await execInContainer(runtime, 'c', ['sh', '-c', 'exit 3'], 2000)).exitCode, 3);
});

test('a command past its timeout fails at the timeout and is stopped', async () => {
  const started = Date.now();
  const result = await execInContainer(runtime, 'c', ['sleep', '5'], 200);
  assert.equal(result.timedOut, true);
  assert.equal(result.ok, false);
  assert.ok(Date.now() - started < 1500);
});
