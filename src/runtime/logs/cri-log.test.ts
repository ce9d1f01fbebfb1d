import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CriLogWriter, LineSplitter, maxLogLineBytes, nanoTimestamp, parseCriLogLine } from './cri-log.js';

const work = mkdtempSync(join(tmpdir(), 'k8ts-log-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('lines split at newlines; long lines become partial records; the tail waits for its newline', () => {
  const records: string[] = [];
  const splitter = new LineSplitter((line, partial) => records.push(`${partial ? 'P' : 'F'}:${line.length}:${line.toString().slice(0, 5)}`));
  splitter.push(Buffer.from('one\ntw'));
  splitter.push(Buffer.from('o\n'));
  splitter.push(Buffer.alloc(maxLogLineBytes + 10, 'x'));
  splitter.push(Buffer.from('\nend'));
  splitter.flush();
  assert.deepEqual(records, ['F:3:one', 'F:3:two', `P:${maxLogLineBytes}:xxxxx`, 'F:10:xxxxx', 'F:3:end']);
});

test('timestamps are RFC 3339 with nanoseconds and increase within a millisecond', () => {
  const a = nanoTimestamp(1_700_000_000_000);
  const b = nanoTimestamp(1_700_000_000_000);
  assert.match(a, /^2023-11-14T22:13:20\.000\d{6}Z$/);
  assert.ok(b > a);
});

test('records are written in the CRI format and rotate by size', async () => {
  const path = join(work, '0.log');
  const writer = await CriLogWriter.open(path, { maxBytes: 200, maxFiles: 3 });
  for (let i = 0; i < 12; i++) {
    writer.write(i % 2 ? 'stderr' : 'stdout', Buffer.from(`line ${i}`), false);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await writer.close();
  // The last write may itself have rotated, leaving the current file empty: read every kept
  // file, oldest first; each line must be a whole record and the lines must stay in order.
  const files = [`${path}.2`, `${path}.1`, path].filter((file) => existsSync(file));
  const lines = files.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((line) => line !== ''));
  const records = lines.map((line) => parseCriLogLine(line));
  assert.ok(records.every((record) => record && /^line \d+$/.test(record.content)), lines.join('\n'));
  const numbers = records.map((record) => Number(record!.content.slice(5)));
  assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
  assert.equal(numbers.at(-1), 11, 'the last line is kept');
  assert.ok(existsSync(`${path}.1`), 'rotated once at least');
  assert.equal(existsSync(`${path}.3`), false, 'at most maxFiles files');
  assert.deepEqual(parseCriLogLine('2024-01-01T00:00:00.000000001Z stderr P part'), { time: '2024-01-01T00:00:00.000000001Z', stream: 'stderr', partial: true, content: 'part' });
});
