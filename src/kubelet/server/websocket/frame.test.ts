import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeFrame, encodeMaskedFrame, FrameDecoder, FrameTooLargeError, maxMessageBytes, opcode } from './frame.js';

test('masked client frames of every length encoding decode to their payloads, even split across chunks', () => {
  for (const size of [0, 5, 125, 126, 65535, 65536, 200_000]) {
    const payload = Buffer.alloc(size, 7);
    const wire = encodeMaskedFrame(opcode.binary, payload);
    const decoder = new FrameDecoder();
    const frames = [...decoder.push(wire.subarray(0, 3)), ...decoder.push(wire.subarray(3))];
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.opcode, opcode.binary);
    assert.equal(frames[0]!.fin, true);
    assert.ok(frames[0]!.payload.equals(payload), `size ${size}`);
  }
});

test('server frames are unmasked and several in one chunk all decode', () => {
  const wire = Buffer.concat([encodeFrame(opcode.binary, Buffer.from('a'), false), encodeFrame(opcode.continuation, Buffer.from('b')), encodeFrame(opcode.close, Buffer.from([3, 232]))]);
  assert.equal((wire[1]! & 0x80), 0);
  const frames = new FrameDecoder().push(wire);
  assert.deepEqual(frames.map((f) => [f.opcode, f.fin, f.payload.toString('latin1')]), [[2, false, 'a'], [0, true, 'b'], [8, true, '\x03\xe8']]);
});

test('a frame larger than the message limit is refused before it is buffered', () => {
  const header = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0x10, 0, 0, 0]);
  assert.ok(maxMessageBytes < 0x10000000);
  assert.throws(() => new FrameDecoder().push(header), FrameTooLargeError);
});
