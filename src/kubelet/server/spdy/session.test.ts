import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHeaderBlock, encodeControlFrame, encodeDataFrame, encodeHeaderBlock, flagFin, frameType, SpdyFrameDecoder, u32 } from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './header-compression.js';
import { SpdySession, type SpdyStream } from './session.js';

function synStream(compressor: HeaderCompressor, id: number, headers: Record<string, string>): Buffer {
  return encodeControlFrame(frameType.synStream, 0, Buffer.concat([u32(id), u32(0), Buffer.from([0, 0]), compressor.compress(encodeHeaderBlock(headers))]));
}

test('a session replies to each new stream, passes data both ways, answers pings and half-closes with FIN', async () => {
  const sent: Buffer[] = [];
  const streams: SpdyStream[] = [];
  const session = new SpdySession({ send: (data) => sent.push(data), onStream: (s) => streams.push(s), onClose: () => undefined });
  const compressor = new HeaderCompressor();
  const received: string[] = [];
  session.receive(Buffer.concat([synStream(compressor, 1, { streamtype: 'error', port: '80', requestid: '0' }), synStream(compressor, 3, { streamtype: 'data', port: '80', requestid: '0' })]));
  session.receive(encodeDataFrame(3, 0, Buffer.from('hello')));
  session.receive(encodeControlFrame(frameType.ping, 0, u32(7)));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(streams.map((s) => [s.id, s.headers.streamtype]), [[1, 'error'], [3, 'data']]);
  streams[1]!.on('data', (d) => received.push(d.toString()));
  session.receive(encodeDataFrame(3, flagFin, Buffer.from(' again')));
  await new Promise((resolve) => setTimeout(resolve, 20));
  streams[1]!.write(Buffer.from('back'));
  streams[1]!.end();

  const frames = new SpdyFrameDecoder().push(Buffer.concat(sent));
  const replies = frames.filter((f) => f.kind === 'control' && f.type === frameType.synReply);
  assert.equal(replies.length, 2);
  const decompressor = new HeaderDecompressor();
  for (const reply of replies) assert.deepEqual(decodeHeaderBlock(await decompressor.decompress(reply.payload.subarray(4))), {});
  decompressor.close();
  assert.ok(frames.some((f) => f.kind === 'control' && f.type === frameType.ping && f.payload.readUInt32BE(0) === 7));
  const data = frames.filter((f) => f.kind === 'data');
  assert.deepEqual(data.map((f) => [f.kind === 'data' && f.streamId, f.flags, f.payload.toString()]), [[3, 0, 'back'], [3, flagFin, '']]);
  assert.equal(received.join(''), 'hello again', 'data sent before anyone listened is kept');
  session.close();
});
