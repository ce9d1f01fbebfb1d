// Decoding of request bodies sent as Kubernetes protobuf (application/vnd.kubernetes.protobuf),
// which kubectl's typed clients use for built-in kinds. k8ts answers in JSON, so only
// decoding is needed: the result is the same JSON object the client would have sent as JSON.
//
// Wire layout: the 4 bytes "k8s\0", then a runtime.Unknown message
//   1: TypeMeta {1: apiVersion, 2: kind}   2: raw (the object's own message)
//   3: contentEncoding                     4: contentType
import { StatusError, badRequest } from '../errors.js';
import type { KubeObject } from '../object.js';
import { decodeMessage } from './decode.js';
import { rootMessageFor } from './registry.js';
import { MalformedProtobuf, WireType, decodeUtf8, readFields } from './wire.js';

export { supportedKinds } from './registry.js';

export const KUBERNETES_PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

/** True for `application/vnd.kubernetes.protobuf`, with or without parameters. */
export function isKubernetesProtobuf(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === KUBERNETES_PROTOBUF;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function readEnvelope(body: Uint8Array): Envelope {
  if (body.length < MAGIC.length || MAGIC.some((byte, i) => body[i] !== byte)) {
    throw new MalformedProtobuf('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const envelope: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '' };
  const lengthDelimited = (value: bigint | Uint8Array, what: string): Uint8Array => {
    if (typeof value === 'bigint') throw new MalformedProtobuf(`${what} should be length-delimited`);
    return value;
  };
  for (const field of readFields(body.subarray(MAGIC.length))) {
    if (field.number === 1) {
      for (const part of readFields(lengthDelimited(field.value, 'typeMeta'))) {
        if (part.wireType !== WireType.LengthDelimited) continue;
        if (part.number === 1) envelope.apiVersion = decodeUtf8(part.value);
        else if (part.number === 2) envelope.kind = decodeUtf8(part.value);
      }
    } else if (field.number === 2) envelope.raw = lengthDelimited(field.value, 'raw');
    else if (field.number === 3) envelope.contentEncoding = decodeUtf8(lengthDelimited(field.value, 'contentEncoding'));
  }
  return envelope;
}

/**
 * Decodes a protobuf request body into the JSON-shaped object, with apiVersion and kind
 * taken from the envelope. Throws 400 for malformed bytes and 415 for kinds without a table.
 */
export function decodeKubernetesProtobuf(body: Buffer | Uint8Array): KubeObject {
  try {
    const envelope = readEnvelope(body);
    if (envelope.contentEncoding !== '') {
      throw new StatusError(415, 'UnsupportedMediaType', `protobuf content encoding "${envelope.contentEncoding}" is not supported by k8ts; send the object as JSON`);
    }
    if (envelope.kind === '') throw badRequest("Object 'Kind' is missing in protobuf request body");
    const schema = rootMessageFor(envelope.apiVersion, envelope.kind);
    if (!schema) {
      const what = envelope.apiVersion ? `${envelope.kind} (${envelope.apiVersion})` : envelope.kind;
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        `${what} cannot be sent as protobuf (${KUBERNETES_PROTOBUF}) to k8ts; send it as JSON (Content-Type: application/json) instead`,
      );
    }
    const object = decodeMessage(envelope.raw, schema);
    return { apiVersion: envelope.apiVersion, kind: envelope.kind, ...object };
  } catch (error) {
    if (error instanceof MalformedProtobuf) throw badRequest(`unable to decode protobuf request body: ${error.message}`);
    throw error;
  }
}
