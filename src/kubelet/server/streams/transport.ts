// What exec and attach need from a connection, whichever protocol carries it: the WebSocket
// channel protocols (v5/v4) or SPDY streams (older kubectl). The session logic is written once
// against this.
import type { TerminalSize } from './channel.js';

export type OutputStream = 'stdout' | 'stderr';

export interface StreamTransport {
  /** Register stdin and stdin-end handlers before anything else: client messages flow from then on. */
  onStdin(handler: (data: Buffer) => void): void;
  onStdinEnd(handler: () => void): void;
  onResize(handler: (size: TerminalSize) => void): void;
  /** The client went away. */
  onClose(handler: () => void): void;
  /** Resolves when the connection can take more (backpressure). */
  write(stream: OutputStream, data: Buffer): Promise<void>;
  /** Sends the final metav1.Status and closes. */
  finish(status: Record<string, unknown>): Promise<void>;
  readonly closed: boolean;
}
