// The v5/v4 channel protocol as a StreamTransport.
import type { WebSocket } from '../websocket/connection.js';
import { channel, decodeChannelMessage, encodeChannelMessage, parseResize, type TerminalSize } from './channel.js';
import type { StreamTransport } from './transport.js';

export function websocketTransport(ws: WebSocket): StreamTransport {
  const stdin: ((data: Buffer) => void)[] = [];
  const stdinEnd: (() => void)[] = [];
  const resize: ((size: TerminalSize) => void)[] = [];
  const receive = (message: Buffer): void => {
    const decoded = decodeChannelMessage(message, ws.protocol);
    if (decoded.kind === 'close' && decoded.channel === channel.stdin) for (const handler of stdinEnd) handler();
    if (decoded.kind !== 'data') return;
    if (decoded.channel === channel.stdin) for (const handler of stdin) handler(decoded.data);
    if (decoded.channel === channel.resize) {
      const size = parseResize(decoded.data);
      if (size) for (const handler of resize) handler(size);
    }
  };
  // Listening starts with the first stdin handler: the WebSocket keeps what arrives before (while
  // the command starts) and hands it over then.
  let listening = false;
  return {
    onStdin(handler) {
      stdin.push(handler);
      if (listening) return;
      listening = true;
      ws.on('message', receive);
    },
    onStdinEnd: (handler) => stdinEnd.push(handler),
    onResize: (handler) => resize.push(handler),
    onClose: (handler) => ws.on('close', handler),
    write: (stream, data) => ws.send(encodeChannelMessage(stream === 'stdout' ? channel.stdout : channel.stderr, data)),
    async finish(status) {
      await ws.send(encodeChannelMessage(channel.error, Buffer.from(JSON.stringify(status))));
      ws.close(1000);
    },
    get closed() {
      return ws.isClosed;
    },
  };
}
