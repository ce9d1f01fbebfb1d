import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { readContainerLog, tailOffset } from './log-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-log-reader-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const record = (text: string, stream = 'stdout'): string => `${new Date().toISOString()} ${stream} F ${text}\n`;
const base = { follow: false, previous: false, timestamps: false };

async function collect(path: string, options: Parameters<typeof readContainerLog>[1], isRunning = async () => false): Promise<{ text: () => string; done: Promise<void> }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const done = readContainerLog(path, options, out, { isRunning });
  return { text: () => text, done };
}

test('tailOffset finds the start of the last N lines across read chunks', async () => {
  const path = join(dir, 'tail.log');
  const long = 'x'.repeat(70_000);
  writeFileSync(path, `a\n${long}\nb\nc\n`);
  const file = await open(path);
  const { size } = await file.stat();
  assert.equal(await tailOffset(file, size, 1), size - 2);
  assert.equal(await tailOffset(file, size, 3), 2);
  assert.equal(await tailOffset(file, size, 10), 0);
  assert.equal(await tailOffset(file, size, 0), size);
  await file.close();
});

test('a plain read prints every record; tailLines only the last ones', async () => {
  const path = join(dir, 'plain.log');
  writeFileSync(path, ['one', 'two', 'three'].map((t) => record(t)).join(''));
  const all = await collect(path, base);
  await all.done;
  assert.equal(all.text(), 'one\ntwo\nthree\n');
  const tail = await collect(path, { ...base, tailLines: 2 });
  await tail.done;
  assert.equal(tail.text(), 'two\nthree\n');
});

test('follow sees new lines, moves to the new file after a rotation, and ends once the container stopped', async () => {
  const path = join(dir, 'follow.log');
  writeFileSync(path, record('before'));
  let running = true;
  const follow = await collect(path, { ...base, follow: true }, async () => running);
  const until = async (want: string): Promise<void> => {
    const deadline = Date.now() + 5_000;
    while (!follow.text().includes(want)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(want)} in ${JSON.stringify(follow.text())}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await until('before\n');
  appendFileSync(path, record('appended'));
  await until('appended\n');
  appendFileSync(path, record('last in old file'));
  renameSync(path, `${path}.1`);
  writeFileSync(path, record('in new file'));
  await until('in new file\n');
  appendFileSync(path, record('final'));
  running = false;
  await follow.done;
  assert.equal(follow.text(), 'before\nappended\nlast in old file\nin new file\nfinal\n');
});
