import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channelProtocolV4, channelProtocolV5, decodeChannelMessage, encodeChannelMessage, exitStatus, negotiate, parseResize, remoteCommandProtocols } from './channel.js';

test('v5 is chosen over v4 whatever order the client offers them in; nothing shared gives ""', () => {
  assert.equal(negotiate([channelProtocolV4, channelProtocolV5], remoteCommandProtocols), channelProtocolV5);
  assert.equal(negotiate(['v4.channel.k8s.io', 'v3.channel.k8s.io'], remoteCommandProtocols), channelProtocolV4);
  assert.equal(negotiate(['channel.k8s.io'], remoteCommandProtocols), '');
});

test('a message is its channel byte then the data; 255 closes a channel only in v5', () => {
  const encoded = encodeChannelMessage(1, Buffer.from('hi'));
  assert.deepEqual([...encoded], [1, 0x68, 0x69]);
  assert.deepEqual(decodeChannelMessage(encoded, channelProtocolV5), { kind: 'data', channel: 1, data: Buffer.from('hi') });
  assert.deepEqual(decodeChannelMessage(Buffer.from([255, 0]), channelProtocolV5), { kind: 'close', channel: 0 });
  assert.equal(decodeChannelMessage(Buffer.from([255, 0]), channelProtocolV4).kind, 'data');
  assert.deepEqual(decodeChannelMessage(Buffer.alloc(0), channelProtocolV5), { kind: 'empty' });
});

test('the exit status is Success for 0 and NonZeroExitCode with an ExitCode cause otherwise, as the kubelet writes it', () => {
  assert.deepEqual(exitStatus(0, ['true']), { metadata: {}, status: 'Success' });
  const failed = exitStatus(3, ['sh', '-c', 'exit 3']) as { reason: string; details: { causes: { reason: string; message: string }[] } };
  assert.equal(failed.reason, 'NonZeroExitCode');
  assert.deepEqual(failed.details.causes, [{ reason: 'ExitCode', message: '3' }]);
});

test('resize messages are {"Width","Height"} JSON; anything else is ignored', () => {
  assert.deepEqual(parseResize(Buffer.from('{"Width":80,"Height":24}')), { width: 80, height: 24 });
  assert.equal(parseResize(Buffer.from('nope')), undefined);
});
