import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameBatch, threadStreamHighWaterMark, type ServerFrame } from '../client/thread-channel.js';
import { parseHead, ThreadResponse } from './thread-channel.js';

test('a request head is read as node reads one: method, target, headers by lower-case name, repeated ones joined', () => {
  const head = parseHead('PATCH /api/v1/namespaces/a/pods/b/status?fieldManager=x HTTP/1.1\r\nAccept: application/json\r\nX-Two: 1\r\nx-two: 2\r\nContent-Length: 12\r\n\r\n');
  assert.deepEqual(head, {
    method: 'PATCH',
    url: '/api/v1/namespaces/a/pods/b/status?fieldManager=x',
    headers: { accept: 'application/json', 'x-two': '1, 2', 'content-length': '12' },
    rawHeaders: ['Accept', 'application/json', 'X-Two', '1', 'x-two', '2', 'Content-Length', '12'],
  });
  assert.equal(parseHead('GET / HTTP/1.0\r\n\r\n'), undefined);
  assert.equal(parseHead('GET / HTTP/1.1\r\nno colon\r\n\r\n'), undefined);
});

test('a response sends its head once, then its chunks and end, in the order written', async () => {
  const frames: ServerFrame[] = [];
  const out = new FrameBatch<ServerFrame>((batch) => frames.push(...batch));
  const response = new ThreadResponse(7, out);
  response.setHeader('Content-Type', 'application/json');
  response.writeHead(201, { 'Content-Length': 2 });
  response.end('{}');
  await new Promise((resolve) => response.once('close', resolve));
  out.flush();
  assert.deepEqual(frames, [['head', 7, 201, { 'content-type': 'application/json', 'content-length': '2' }], ['data', 7, '{}'], ['end', 7]]);
});

test('writes past the high-water mark wait for the reader\'s acknowledgement (write() false, then drain)', async () => {
  const frames: ServerFrame[] = [];
  const out = new FrameBatch<ServerFrame>((batch) => frames.push(...batch));
  const response = new ThreadResponse(1, out);
  const chunk = 'x'.repeat(threadStreamHighWaterMark / 4);
  // Twice the mark: write() says to stop along the way, and half of it waits in the stream.
  const accepted = Array.from({ length: 8 }, () => response.write(chunk));
  assert.equal(accepted.at(-1), false);
  const sent = async (): Promise<number> => {
    await new Promise((resolve) => setImmediate(resolve));
    return frames.filter((frame) => frame[0] === 'data').length;
  };
  assert.equal(await sent(), 4, 'a high-water mark\'s worth went out before any acknowledgement');
  response.acknowledged(threadStreamHighWaterMark);
  assert.equal(await sent(), 8, 'the rest went out once the reader caught up');
  const drained = new Promise((resolve) => response.once('drain', resolve));
  response.acknowledged(threadStreamHighWaterMark);
  await drained;
  response.abort();
});

test('a response destroyed before it ended tells the client it hung up', async () => {
  const frames: ServerFrame[] = [];
  const out = new FrameBatch<ServerFrame>((batch) => frames.push(...batch));
  const response = new ThreadResponse(3, out);
  response.write('partial');
  response.destroy();
  await new Promise((resolve) => response.once('close', resolve));
  out.flush();
  assert.deepEqual(frames.at(-1), ['fail', 3, 'ECONNRESET', 'socket hang up']);
});
