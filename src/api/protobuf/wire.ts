// Protobuf wire-format reading: just enough to walk Kubernetes messages. Every read is
// bounds-checked and failures throw MalformedProtobuf, so hostile bytes cannot crash us.

export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, StartGroup: 3, EndGroup: 4, Fixed32: 5 } as const;

export class MalformedProtobuf extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedProtobuf';
  }
}

/** One field occurrence as it appears on the wire; `value` is a varint/fixed number or a byte slice. */
export type WireField =
  | { number: number; wireType: 0 | 1 | 5; value: bigint }
  | { number: number; wireType: 2; value: Uint8Array };

const TWO_POW_32 = 2 ** 32;

export class WireReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** Reads an unsigned varint of up to 64 bits (10 bytes), as protobuf allows. */
  varint(): bigint {
    let low = 0;
    let high = 0;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.bytes.length) throw new MalformedProtobuf('truncated varint');
      const byte = this.bytes[this.offset++]!;
      const bits = byte & 0x7f;
      // Bits 0-27 go to `low` directly; bits 28+ are split so no JS number loses precision.
      if (i < 4) low += bits * 2 ** (7 * i);
      else if (i === 4) {
        low += (bits & 0x0f) * 2 ** 28;
        high += bits >> 4;
      } else high += bits * 2 ** (7 * i - 32);
      if (byte < 0x80) return (BigInt(high % TWO_POW_32) << 32n) | BigInt(low);
    }
    throw new MalformedProtobuf('varint longer than 10 bytes');
  }

  private fixed(size: 4 | 8): bigint {
    if (this.offset + size > this.bytes.length) throw new MalformedProtobuf('truncated fixed-width field');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, size);
    this.offset += size;
    return size === 4 ? BigInt(view.getUint32(0, true)) : view.getBigUint64(0, true);
  }

  private lengthDelimited(): Uint8Array {
    const length = this.varint();
    if (length > BigInt(this.bytes.length - this.offset)) throw new MalformedProtobuf('length-delimited field runs past the end of its message');
    const start = this.offset;
    this.offset += Number(length);
    return this.bytes.subarray(start, this.offset);
  }

  /** Reads the next field; groups (deprecated, never used by Kubernetes) are rejected. */
  next(): WireField {
    const key = this.varint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (number < 1 || number > 536870911) throw new MalformedProtobuf(`invalid field number ${number}`);
    switch (wireType) {
      case WireType.Varint:
        return { number, wireType, value: this.varint() };
      case WireType.Fixed64:
        return { number, wireType, value: this.fixed(8) };
      case WireType.Fixed32:
        return { number, wireType, value: this.fixed(4) };
      case WireType.LengthDelimited:
        return { number, wireType, value: this.lengthDelimited() };
      default:
        throw new MalformedProtobuf(`unsupported wire type ${wireType} for field ${number}`);
    }
  }
}

/** Every field of a message, in wire order. */
export function readFields(bytes: Uint8Array): WireField[] {
  const reader = new WireReader(bytes);
  const fields: WireField[] = [];
  while (!reader.done) fields.push(reader.next());
  return fields;
}

/** Splits a packed repeated scalar field into its varints. */
export function readPackedVarints(bytes: Uint8Array): bigint[] {
  const reader = new WireReader(bytes);
  const values: bigint[] = [];
  while (!reader.done) values.push(reader.varint());
  return values;
}

// Go's proto2 decoder does not validate UTF-8 and its JSON encoder substitutes U+FFFD; so do we.
const utf8 = new TextDecoder('utf-8');

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
