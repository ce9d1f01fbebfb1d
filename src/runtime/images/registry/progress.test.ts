import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressPrinter, progressBar } from './progress.js';

function fakeStream(): { stream: NodeJS.WriteStream; written: () => string } {
  let text = '';
  const stream = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, written: () => text };
}

test('on a terminal each blob keeps one line, redrawn in place with a Docker progress bar', () => {
  const { stream, written } = fakeStream();
  const printer = new ProgressPrinter(stream, true);
  printer.handle({ id: 'aaaaaaaaaaaa', status: 'Pulling fs layer' });
  printer.handle({ id: 'bbbbbbbbbbbb', status: 'Pulling fs layer' });
  printer.handle({ id: 'aaaaaaaaaaaa', status: 'Downloading', currentBytes: 500_000, totalBytes: 1_000_000 });
  assert.equal(written(), `aaaaaaaaaaaa: Pulling fs layer\nbbbbbbbbbbbb: Pulling fs layer\n\x1b[2A\r\x1b[2Kaaaaaaaaaaaa: Downloading ${progressBar(500_000, 1_000_000)}\x1b[2B\r`);
  assert.equal(progressBar(500_000, 1_000_000), `[${'='.repeat(24)}>${' '.repeat(25)}]  500kB/1MB`);
});

test('elsewhere each status change is one plain line', () => {
  const { stream, written } = fakeStream();
  const printer = new ProgressPrinter(stream, false);
  printer.handle({ id: 'aaaaaaaaaaaa', status: 'Downloading', currentBytes: 1, totalBytes: 10 });
  printer.handle({ id: 'aaaaaaaaaaaa', status: 'Downloading', currentBytes: 5, totalBytes: 10 });
  printer.handle({ id: 'aaaaaaaaaaaa', status: 'Pull complete' });
  assert.equal(written(), 'aaaaaaaaaaaa: Downloading\naaaaaaaaaaaa: Pull complete\n');
});
