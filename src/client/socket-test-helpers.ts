// Checks shared by the tests of the in-memory connections (loopback.test.ts, port-socket.test.ts).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';

/**
 * A reader that stops reading holds the writer back within a few high-water marks, and every
 * byte written arrives once it reads again.
 */
export async function assertWriterHeldBack(writer: Duplex, reader: Duplex, highWaterMarkBytes: number): Promise<void> {
  reader.pause();
  const chunk = Buffer.alloc(4096, 'x');
  let writtenBytes = 0;
  for (let round = 0; round < 10_000; round++) {
    writtenBytes += chunk.length;
    if (!writer.write(chunk)) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(writtenBytes <= 4 * highWaterMarkBytes, `writer was not held back (${writtenBytes} bytes accepted)`);
  const drained = once(writer, 'drain');
  let readBytes = 0;
  reader.on('data', (data: Buffer) => (readBytes += data.length));
  reader.resume();
  await drained;
  // Across threads the last bytes may still be on their way.
  for (let i = 0; i < 50 && readBytes < writtenBytes; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(readBytes, writtenBytes);
}
