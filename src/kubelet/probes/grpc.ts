// A grpc probe: grpc.health.v1.Health/Check over cleartext HTTP/2 (node:http2), with the two
// protobuf messages encoded by hand: HealthCheckRequest{1: service string} and
// HealthCheckResponse{1: status enum}, SERVING = 1.
import { connect, constants } from 'node:http2';

const serving = 1;

/** A length-prefixed gRPC message holding HealthCheckRequest. */
export function encodeHealthCheckRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  const message = name.length > 0 ? Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]) : Buffer.alloc(0);
  const frame = Buffer.alloc(5);
  frame.writeUInt32BE(message.length, 1);
  return Buffer.concat([frame, message]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/** The status field of a length-prefixed HealthCheckResponse; 0 (UNKNOWN) when absent. */
export function decodeHealthCheckStatus(body: Buffer): number {
  if (body.length < 5) return 0;
  const message = body.subarray(5, 5 + body.readUInt32BE(1));
  for (let i = 0; i < message.length; ) {
    const tag = message[i++]!;
    let value = 0;
    for (let shift = 0; i < message.length; shift += 7) {
      const byte = message[i++]!;
      value |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    if (tag === 0x08) return value;
    if ((tag & 7) === 2) i += value;
  }
  return 0;
}

export function grpcCheck(host: string, port: number, service: string, timeoutMs: number): Promise<{ ok: boolean; output: string }> {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve) => {
    const session = connect(`http://${address}`);
    let settled = false;
    const done = (ok: boolean, output: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve({ ok, output });
    };
    const timer = setTimeout(() => done(false, `timeout: health rpc did not complete within ${timeoutMs / 1000}s`), timeoutMs);
    session.on('error', (error) => done(false, `timeout: failed to connect service "${address}" within ${timeoutMs / 1000}s: ${error.message}`));
    const stream = session.request({ [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc', te: 'trailers', 'user-agent': 'kube-probe/1.32' });
    const chunks: Buffer[] = [];
    let grpcStatus = '0';
    let grpcMessage = '';
    stream.on('response', (headers) => {
      if (headers['grpc-status'] !== undefined) grpcStatus = String(headers['grpc-status']);
    });
    stream.on('trailers', (trailers) => {
      grpcStatus = String(trailers['grpc-status'] ?? grpcStatus);
      grpcMessage = String(trailers['grpc-message'] ?? '');
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (error) => done(false, `rpc error: ${error.message}`));
    stream.on('end', () => {
      if (grpcStatus !== '0') return done(false, `rpc error: code = ${grpcStatus} desc = ${grpcMessage}`);
      const status = decodeHealthCheckStatus(Buffer.concat(chunks));
      done(status === serving, status === serving ? '' : `service unhealthy (responded with "${statusName(status)}")`);
    });
    stream.end(encodeHealthCheckRequest(service));
  });
}

function statusName(status: number): string {
  return ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'][status] ?? String(status);
}
