// Schema-driven protobuf -> JSON decoding. The output mirrors what upstream's JSON encoder
// prints for the Go object the protobuf decodes into: see schema.ts for how each field's Go
// declaration (pointer, omitempty, struct) decides whether and how it shows up.
import type { JsonObject } from '../object.js';
import { lookupMessage } from './registry.js';
import type { FieldSchema, FieldType, MessageSchema, ScalarType, SpecialType } from './schema.js';
import { decodeSpecial, zeroOfSpecial } from './special-types.js';
import { MalformedProtobuf, WireType, decodeUtf8, readFields, readPackedVarints, type WireField } from './wire.js';

/** Real Kubernetes objects nest about 15 messages deep; this only stops hostile input. */
const MAX_DEPTH = 64;
const EMPTY = new Uint8Array(0);

export function decodeMessage(bytes: Uint8Array, schema: MessageSchema, depth = 0): JsonObject {
  if (depth > MAX_DEPTH) throw new MalformedProtobuf('messages are nested too deeply');
  const values = new Map<FieldSchema, unknown>();
  for (const wire of readFields(bytes)) {
    const field = schema.byNumber.get(wire.number);
    if (!field) continue; // Go skips fields it does not know, e.g. from a newer client.
    if (field.shape === 'single') values.set(field, decodeValue(wire, field.type, depth));
    else if (field.shape === 'repeated') appendRepeated(values, field, wire, depth);
    else addMapEntry(values, field, wire, depth);
  }

  const out: JsonObject = {};
  for (const field of schema.fields) {
    const present = values.has(field);
    let value = values.get(field);
    if (!present) {
      if (field.presence === 'omitempty' || field.presence === 'pointer') continue;
      value = field.presence === 'always' && field.shape === 'single' ? zeroOf(field.type, depth) : null;
    } else if (field.presence === 'omitempty' && isZero(value)) continue;
    if (field.inline && value !== null && typeof value === 'object') Object.assign(out, value);
    else out[field.jsonName] = value;
  }
  return out;
}

function messageSchema(ref: string): MessageSchema {
  const schema = lookupMessage(ref);
  // Tables are checked by tests, so a dangling reference is our bug, not the client's.
  if (!schema) throw new Error(`protobuf schema table references unknown message ${ref}`);
  return schema;
}

function expectWireType(wire: WireField, expected: number, what: string): void {
  if (wire.wireType !== expected) throw new MalformedProtobuf(`field ${wire.number} has wire type ${wire.wireType}, expected ${expected} for ${what}`);
}

function decodeValue(wire: WireField, type: FieldType, depth: number): unknown {
  if (type.kind === 'scalar') return decodeScalar(wire, type.scalar);
  expectWireType(wire, WireType.LengthDelimited, type.kind === 'message' ? type.ref : type.special);
  const bytes = wire.value as Uint8Array;
  if (type.kind === 'special') return decodeSpecial(bytes, type.special);
  return decodeMessage(bytes, messageSchema(type.ref), depth + 1);
}

function decodeScalar(wire: WireField, scalar: ScalarType): unknown {
  switch (scalar) {
    case 'string':
      expectWireType(wire, WireType.LengthDelimited, scalar);
      return decodeUtf8(wire.value as Uint8Array);
    case 'bytes':
      expectWireType(wire, WireType.LengthDelimited, scalar);
      return Buffer.from(wire.value as Uint8Array).toString('base64');
    case 'double':
    case 'float': {
      const size = scalar === 'double' ? 8 : 4;
      expectWireType(wire, size === 8 ? WireType.Fixed64 : WireType.Fixed32, scalar);
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, wire.value as bigint, true);
      return size === 8 ? view.getFloat64(0, true) : view.getFloat32(0, true);
    }
    default:
      expectWireType(wire, WireType.Varint, scalar);
      return varintAs(wire.value as bigint, scalar);
  }
}

function varintAs(value: bigint, scalar: ScalarType): number | boolean {
  switch (scalar) {
    case 'bool':
      return value !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, value));
    case 'uint32':
      return Number(BigInt.asUintN(32, value));
    case 'uint64':
      return Number(value);
    default:
      // int64 becomes a JS number like everywhere else in k8ts; beyond 2^53 it rounds.
      return Number(BigInt.asIntN(64, value));
  }
}

const PACKABLE = new Set<ScalarType>(['bool', 'int32', 'int64', 'uint32', 'uint64']);

function appendRepeated(values: Map<FieldSchema, unknown>, field: FieldSchema, wire: WireField, depth: number): void {
  let list = values.get(field) as unknown[] | undefined;
  if (!list) values.set(field, (list = []));
  // Decoders must accept packed and unpacked encodings of repeated numbers alike.
  if (field.type.kind === 'scalar' && PACKABLE.has(field.type.scalar) && wire.wireType === WireType.LengthDelimited) {
    for (const value of readPackedVarints(wire.value)) list.push(varintAs(value, field.type.scalar));
  } else list.push(decodeValue(wire, field.type, depth));
}

/** A map entry is a nested message with the key as field 1 and the value as field 2. */
function addMapEntry(values: Map<FieldSchema, unknown>, field: FieldSchema, wire: WireField, depth: number): void {
  expectWireType(wire, WireType.LengthDelimited, `map ${field.jsonName}`);
  let map = values.get(field) as JsonObject | undefined;
  if (!map) values.set(field, (map = {}));
  let key = '';
  let value: unknown;
  let hasValue = false;
  for (const part of readFields(wire.value as Uint8Array)) {
    if (part.number === 1) key = decodeScalar(part, 'string') as string;
    else if (part.number === 2) {
      value = decodeValue(part, field.type, depth);
      hasValue = true;
    }
  }
  if (!hasValue) value = zeroOf(field.type, depth);
  // defineProperty keeps a "__proto__" key an ordinary entry instead of changing the prototype.
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The JSON of a Go zero value of this type, for fields that are always printed. */
function zeroOf(type: FieldType, depth: number): unknown {
  if (type.kind === 'message') return decodeMessage(EMPTY, messageSchema(type.ref), depth + 1);
  if (type.kind === 'special') return zeroOfSpecial(type.special as SpecialType);
  switch (type.scalar) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'bytes':
      return null; // a nil []byte
    default:
      return 0;
  }
}

/** What omitempty drops: false, 0, "", and empty lists, maps and byte strings. */
function isZero(value: unknown): boolean {
  if (value === '' || value === 0 || value === false || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}
