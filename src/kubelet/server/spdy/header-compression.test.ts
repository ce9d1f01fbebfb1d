import assert from 'node:assert/strict';
import { constants, createDeflate, inflateSync } from 'node:zlib';
import { test } from 'node:test';
import { spdyDictionary } from './dictionary.js';
import { decodeHeaderBlock, encodeHeaderBlock } from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './header-compression.js';

test('the SPDY/3 dictionary has its published length', () => {
  assert.equal(spdyDictionary.length, 1423);
});

test('blocks from a real zlib deflater with the dictionary inflate one after another in a shared stream', async () => {
  const deflate = createDeflate({ dictionary: spdyDictionary });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const compress = (block: Buffer): Promise<Buffer> =>
    new Promise((resolve) => {
      deflate.write(block);
      deflate.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(chunks.splice(0))));
    });
  const decompressor = new HeaderDecompressor();
  const first = { streamtype: 'error', port: '8080', requestid: '0' };
  const second = { streamtype: 'data', port: '8080', requestid: '0' };
  assert.deepEqual(decodeHeaderBlock(await decompressor.decompress(await compress(encodeHeaderBlock(first)))), first);
  assert.deepEqual(decodeHeaderBlock(await decompressor.decompress(await compress(encodeHeaderBlock(second)))), second);
  decompressor.close();
  deflate.destroy();
});

test('stored blocks written by the compressor are a valid zlib stream with the dictionary', () => {
  const compressor = new HeaderCompressor();
  const a = compressor.compress(encodeHeaderBlock({}));
  const b = compressor.compress(encodeHeaderBlock({ status: '200' }));
  const inflated = inflateSync(Buffer.concat([a, b]), { dictionary: spdyDictionary, finishFlush: constants.Z_SYNC_FLUSH });
  assert.deepEqual(decodeHeaderBlock(inflated.subarray(0, 4)), {});
  assert.deepEqual(decodeHeaderBlock(inflated.subarray(4)), { status: '200' });
});
