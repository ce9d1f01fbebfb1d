import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { WatchStream, type WatchEvent } from './watch.js';

async function eventsOf(chunks: (string | Buffer)[]): Promise<WatchEvent[]> {
  const body = new PassThrough();
  const stream = new WatchStream(body as unknown as IncomingMessage, () => body.destroy());
  for (const chunk of chunks) body.write(chunk);
  body.end();
  const events: WatchEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const added = (name: string): string => JSON.stringify({ type: 'ADDED', object: { metadata: { name } } });

test('events split anywhere across chunks, several in one chunk, CRLF and blank lines all decode', async () => {
  const text = `${added('a')}\n${added('b')}\r\n\n  \n${added('ü')}\n`;
  const expected = ['a', 'b', 'ü'];
  for (let cut = 0; cut <= text.length; cut++) {
    const bytes = Buffer.from(text);
    const at = Buffer.byteLength(text.slice(0, cut));
    const events = await eventsOf([bytes.subarray(0, at), bytes.subarray(at)]);
    assert.deepEqual(events.map((event) => event.object.metadata?.name), expected, `cut at ${cut}`);
  }
});

test('a multi-byte character split between chunks still decodes', async () => {
  const bytes = Buffer.from(`${added('ü')}\n`);
  const at = bytes.indexOf(Buffer.from('ü')) + 1;
  const events = await eventsOf([bytes.subarray(0, at), bytes.subarray(at)]);
  assert.equal(events[0]?.object.metadata?.name, 'ü');
});

test('a line that is not JSON ends the stream with an error', async () => {
  await assert.rejects(eventsOf([`${added('a')}\n{broken\n`]), /watch stream: undecodable event/);
});

test('dropManagedFields: events come without their object\'s metadata.managedFields, compact or not', async () => {
  const object = { kind: 'Pod', metadata: { name: 'a', managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }], resourceVersion: '3' }, spec: {} };
  const body = new PassThrough();
  const stream = new WatchStream(body as unknown as IncomingMessage, () => body.destroy(), { dropManagedFields: true });
  body.write(`${JSON.stringify({ type: 'ADDED', object })}\n${JSON.stringify({ type: 'MODIFIED', object }, null, 1).replace(/\n/g, '')}\n`);
  body.write('{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","code":410}}\n');
  body.end();
  const events: WatchEvent[] = [];
  for await (const event of stream) events.push(event);
  assert.deepEqual(events.map((event) => event.object), [
    { kind: 'Pod', metadata: { name: 'a', resourceVersion: '3' }, spec: {} },
    { kind: 'Pod', metadata: { name: 'a', resourceVersion: '3' }, spec: {} },
    { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410 },
  ]);
});
