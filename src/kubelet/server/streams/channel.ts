// The Kubernetes channel protocols over WebSocket (k8s.io/apimachinery wsstream): every binary
// message starts with one byte naming its channel. v4 carries exec/attach (0 stdin, 1 stdout,
// 2 stderr, 3 error as a JSON metav1.Status, 4 resize as JSON {Width, Height}); v5 adds the
// message [255, channel] meaning "the peer closed this channel" (stdin EOF).
export const channelProtocolV5 = 'v5.channel.k8s.io';
export const channelProtocolV4 = 'v4.channel.k8s.io';
/** In the server's order of preference. */
export const remoteCommandProtocols = [channelProtocolV5, channelProtocolV4] as const;

export const channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** Picks the first protocol of ours the client offered, in our order; '' when none. */
export function negotiate(offered: readonly string[], supported: readonly string[]): string {
  return supported.find((p) => offered.includes(p)) ?? '';
}

export function encodeChannelMessage(id: number, data: Buffer): Buffer {
  const message = Buffer.allocUnsafe(data.length + 1);
  message[0] = id;
  data.copy(message, 1);
  return message;
}

export type ChannelMessage =
  | { kind: 'data'; channel: number; data: Buffer }
  | { kind: 'close'; channel: number }
  | { kind: 'empty' };

export function decodeChannelMessage(message: Buffer, protocol: string): ChannelMessage {
  if (message.length === 0) return { kind: 'empty' };
  const id = message[0]!;
  if (id === channel.close && protocol === channelProtocolV5) {
    // A close message names exactly one channel.
    if (message.length !== 2) return { kind: 'empty' };
    return { kind: 'close', channel: message[1]! };
  }
  return { kind: 'data', channel: id, data: message.subarray(1) };
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** The resize channel's JSON, {"Width":80,"Height":24}; undefined when malformed. */
export function parseResize(data: Buffer): TerminalSize | undefined {
  try {
    const value = JSON.parse(data.toString('utf8')) as { Width?: unknown; Height?: unknown };
    if (typeof value.Width !== 'number' || typeof value.Height !== 'number') return undefined;
    return { width: value.Width, height: value.Height };
  } catch {
    return undefined;
  }
}

/** What the error channel carries when the command finished, as the kubelet writes it. */
export function exitStatus(exitCode: number, command: readonly string[]): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** An error before or while running the command (InternalError, as upstream's NewInternalError). */
export function internalErrorStatus(message: string): Record<string, unknown> {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}
