// Connecting to etcd: endpoint URLs, TLS files, the gRPC client, and the rule that every
// request ends within a bounded time with an error that says the datastore is unavailable.
import { readFileSync } from 'node:fs';
import {
  ClientClosedError,
  ClientRuntimeError,
  Etcd3,
  EtcdError,
  GRPCCancelledError,
  GRPCDeadlineExceededError,
  GRPCGenericError,
  GRPCUnavailableError,
  type IKeyValue,
  type IOptions,
} from 'etcd3';
import type { KeyValue } from '../types.js';

/** The longest any single etcd request may take before it fails as "datastore unavailable". */
export const defaultRequestTimeoutMs = 5_000;
/** Connecting to one endpoint gives up after this; another endpoint may then be tried. */
const dialTimeoutMs = 3_000;
/** gRPC keepalive, so a silently dead member (partition, frozen host) is noticed on open watch streams. */
const keepaliveTimeMs = 10_000;
const keepaliveTimeoutMs = 5_000;

export interface EtcdTlsFiles {
  /** PEM file of the CA that signed etcd's serving certificate (upstream: --etcd-cafile). */
  caFile?: string;
  /** PEM client certificate presented to etcd (upstream: --etcd-certfile). */
  certFile?: string;
  /** PEM private key of the client certificate (upstream: --etcd-keyfile). */
  keyFile?: string;
}

export interface EtcdConnectionOptions {
  /** host:port of each member; requests go to any of them. */
  endpoints: string[];
  tls?: EtcdTlsFiles;
  /** Bound on every request (default defaultRequestTimeoutMs). */
  requestTimeoutMs?: number;
}

/** etcd did not answer in time, has no quorum, or cannot be reached. The API server answers 5xx. */
export class DatastoreUnavailableError extends Error {
  constructor(
    readonly detail: string,
    override readonly cause?: unknown,
  ) {
    super(`datastore unavailable: etcd ${detail}`);
    this.name = 'DatastoreUnavailableError';
  }
}

/** `etcd://h1:2379,h2:2379` → ["h1:2379", "h2:2379"]; a member without a port gets etcd's 2379. */
export function parseEtcdEndpoints(datastore: string): string[] {
  if (!datastore.startsWith('etcd://')) throw new Error(`not an etcd datastore URL: ${JSON.stringify(datastore)}`);
  const endpoints = datastore
    .slice('etcd://'.length)
    .split(',')
    .map((part) => part.trim().replace(/^(etcd|https?):\/\//, '').replace(/\/+$/, ''))
    .filter((part) => part !== '')
    .map((part) => (/:\d+$/.test(part) ? part : `${part}:2379`));
  if (endpoints.length === 0) throw new Error(`--datastore ${JSON.stringify(datastore)} names no etcd endpoint: expected etcd://<host:port>[,<host:port>...]`);
  return endpoints;
}

export function createEtcdClient(options: EtcdConnectionOptions): Etcd3 {
  if (options.endpoints.length === 0) throw new Error('etcd: no endpoints given');
  const clientOptions: IOptions = {
    hosts: options.endpoints,
    dialTimeout: dialTimeoutMs,
    grpcOptions: {
      // Lists and watch batches of large objects exceed gRPC's 4 MiB default (upstream sets MaxInt32 too).
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      'grpc.keepalive_time_ms': keepaliveTimeMs,
      'grpc.keepalive_timeout_ms': keepaliveTimeoutMs,
      'grpc.keepalive_permit_without_calls': 1,
    },
  };
  const tls = options.tls;
  if (tls && (tls.caFile || tls.certFile || tls.keyFile)) {
    if (!tls.caFile) throw new Error('etcd TLS: a CA file (--etcd-cafile) is required with a client certificate');
    if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) throw new Error('etcd TLS: --etcd-certfile and --etcd-keyfile must be given together');
    clientOptions.credentials = {
      rootCertificate: readPem(tls.caFile, '--etcd-cafile'),
      ...(tls.certFile && tls.keyFile ? { certChain: readPem(tls.certFile, '--etcd-certfile'), privateKey: readPem(tls.keyFile, '--etcd-keyfile') } : {}),
    };
  }
  return new Etcd3(clientOptions);
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`etcd TLS: cannot read ${flag} ${path}: ${(error as Error).message}`);
  }
}

/**
 * Runs one etcd request with a gRPC deadline and, as a backstop for retries and reconnects
 * inside the client library, a timer: either way the caller hears back within `timeoutMs`.
 */
export async function withDeadline<T>(what: string, timeoutMs: number, run: (deadline: Date) => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatastoreUnavailableError(`did not answer ${what} within ${timeoutMs} ms (no quorum or unreachable)`)), timeoutMs);
  });
  try {
    return await Promise.race([run(new Date(Date.now() + timeoutMs)), expired]);
  } catch (error) {
    throw asUnavailable(what, error);
  } finally {
    clearTimeout(timer);
  }
}

/** etcd messages that mean "cannot serve now" rather than "your request is wrong". */
const unavailableMessages = ['request timed out', 'no leader', 'leader changed', 'not capable', 'too many requests', 'timed out', 'unhealthy cluster', 'connection', 'ECONNREFUSED', 'deadline'];

/** gRPC status codes CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE. */
const grpcUnavailableCodes = new Set([1, 4, 14]);

/** Turns connection, deadline and quorum failures into DatastoreUnavailableError; other errors pass. */
export function asUnavailable(what: string, error: unknown): unknown {
  if (error instanceof DatastoreUnavailableError || !(error instanceof Error)) return error;
  // The library's error classes do not set `name`, so they are told apart with instanceof.
  const brokenCircuit = (error as { isBrokenCircuitError?: boolean }).isBrokenCircuitError === true;
  // Some failures (TLS handshake refused) may arrive as plain gRPC status errors.
  const code = (error as { code?: unknown }).code;
  const grpcUnavailable =
    error instanceof GRPCUnavailableError ||
    error instanceof GRPCDeadlineExceededError ||
    error instanceof GRPCCancelledError ||
    error instanceof ClientClosedError ||
    (typeof code === 'number' && grpcUnavailableCodes.has(code));
  // Only the client library's own errors are inspected by message: ours (KeyExistsError…) name keys.
  const fromClient = error instanceof GRPCGenericError || error instanceof EtcdError || error instanceof ClientRuntimeError;
  if (brokenCircuit || grpcUnavailable || (fromClient && unavailableMessages.some((text) => error.message.includes(text)))) {
    return new DatastoreUnavailableError(`failed ${what}: ${error.message}`, error);
  }
  return error;
}

export function isCompactedMessage(error: unknown): boolean {
  return error instanceof Error && error.message.includes('required revision has been compacted');
}

/** etcd's range end for "every key starting with prefix": the prefix with its last byte plus one. */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  // All 0xff (or empty): no upper bound, which etcd spells as a single zero byte.
  return Buffer.from([0]);
}

export function toKeyValue(kv: IKeyValue): KeyValue {
  return { key: kv.key.toString('utf8'), value: kv.value.toString('utf8'), createRevision: Number(kv.create_revision), modRevision: Number(kv.mod_revision) };
}
