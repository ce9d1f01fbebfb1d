import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { StatusError } from '../../api/errors.js';
import { decodeBody, decodeText, maxBodyNestingDepth, readBody } from './body.js';

function request(chunks: Buffer[], headers: Record<string, string> = {}): IncomingMessage {
  const stream = Readable.from(chunks, { objectMode: false }) as unknown as IncomingMessage;
  return Object.assign(stream, { headers });
}

test('readBody joins the chunks of a body', async () => {
  assert.equal((await readBody(request([Buffer.from('{"a":'), Buffer.from('1}')]))).toString(), '{"a":1}');
  assert.equal((await readBody(request([]))).length, 0);
});

test('readBody refuses a body over the limit, declared or sent, with 413', async () => {
  await assert.rejects(readBody(request([Buffer.from('x')], { 'content-length': '11' }), 10), (error: StatusError) => error.code === 413);
  const sent = request([Buffer.alloc(6), Buffer.alloc(6)]);
  await assert.rejects(readBody(sent, 10), (error: StatusError) => error.code === 413);
  assert.equal(sent.destroyed, true);
});

test('decodeBody refuses bodies nested deeper than the limit and accepts the limit itself', () => {
  const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
  assert.doesNotThrow(() => decodeBody(Buffer.from(nested(maxBodyNestingDepth)), 'application/json'));
  assert.throws(() => decodeBody(Buffer.from(nested(maxBodyNestingDepth + 1)), 'application/json'), /nested more than 1000 levels deep/);
  const objects = '{"a":'.repeat(maxBodyNestingDepth + 1) + '1' + '}'.repeat(maxBodyNestingDepth + 1);
  assert.throws(() => decodeBody(Buffer.from(objects), 'application/json'), /nested more than 1000 levels deep/);
});

test('decodeText decodes text as decodeBody decodes its bytes, JSON and YAML', () => {
  const json = '{"kind":"Pod","spec":{"containers":[{"name":"c"}]}}';
  assert.deepEqual(decodeText(json, 'application/json'), decodeBody(Buffer.from(json), 'application/json'));
  assert.deepEqual(decodeText('kind: Pod\n', 'application/yaml'), { kind: 'Pod' });
  assert.throws(() => decodeText('  ', 'application/json'), /the body of the request was empty/);
});
