import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTimestamp, LogFormatter } from './log-format.js';
import { parseLogOptions } from './log-options.js';

const lines = [
  '2024-01-01T00:00:00.100000000Z stdout F first',
  '2024-01-01T00:00:01.000000000Z stderr P part-',
  '2024-01-01T00:00:01.500000000Z stderr F two',
  'garbage',
  '2024-01-01T00:00:02.123456789Z stdout F third',
];
const render = (formatter: LogFormatter): string => lines.map((l) => formatter.format(l).toString()).join('');

test('records print as their content, a full record ending its line and a partial one joining the next', () => {
  assert.equal(render(new LogFormatter({ timestamps: false })), 'first\npart-two\nthird\n');
});

test('timestamps go in front of each line (not before the rest of a split one), in Go RFC3339Nano form', () => {
  assert.equal(
    render(new LogFormatter({ timestamps: true })),
    '2024-01-01T00:00:00.1Z first\n2024-01-01T00:00:01Z part-two\n2024-01-01T00:00:02.123456789Z third\n',
  );
  assert.equal(formatTimestamp('2024-01-01T00:00:00.000000000Z'), '2024-01-01T00:00:00Z');
});

test('since skips earlier records; limitBytes cuts the output mid-line and then stops', () => {
  assert.equal(render(new LogFormatter({ timestamps: false, sinceMs: Date.parse('2024-01-01T00:00:01.2Z') })), 'two\nthird\n');
  const limited = new LogFormatter({ timestamps: false, limitBytes: 8 });
  assert.equal(render(limited), 'first\npa');
  assert.equal(limited.done, true);
});

test('log options parse like the kubelet and reject what the API rejects', () => {
  const now = Date.parse('2024-01-01T00:01:00Z');
  assert.deepEqual(parseLogOptions(new URLSearchParams('follow=true&tailLines=2&sinceSeconds=30&timestamps=1&limitBytes=10'), now), {
    follow: true, previous: false, timestamps: true, tailLines: 2, limitBytes: 10, sinceMs: now - 30_000,
  });
  assert.equal(parseLogOptions(new URLSearchParams('sinceTime=2024-01-01T00:00:00Z')).sinceMs, Date.parse('2024-01-01T00:00:00Z'));
  assert.throws(() => parseLogOptions(new URLSearchParams('sinceTime=2024-01-01T00:00:00Z&sinceSeconds=1')), /at most one of `sinceTime` or `sinceSeconds`/);
  assert.throws(() => parseLogOptions(new URLSearchParams('tailLines=-1')), /tailLines/);
  assert.throws(() => parseLogOptions(new URLSearchParams('limitBytes=x')), /must be an integer/);
});
