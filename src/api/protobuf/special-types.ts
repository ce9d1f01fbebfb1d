// apimachinery types whose protobuf message differs from their JSON form: timestamps,
// IntOrString, Quantity, Duration, embedded raw JSON and string-list wrappers.
import type { SpecialType } from './schema.js';
import { MalformedProtobuf, WireType, decodeUtf8, readFields } from './wire.js';

/** Field number -> last value seen, for the small fixed-shape messages below. */
function fieldsByNumber(bytes: Uint8Array): Map<number, bigint | Uint8Array> {
  const out = new Map<number, bigint | Uint8Array>();
  for (const field of readFields(bytes)) out.set(field.number, field.value);
  return out;
}

function varintField(fields: Map<number, bigint | Uint8Array>, number: number): bigint {
  const value = fields.get(number);
  if (value === undefined) return 0n;
  if (typeof value !== 'bigint') throw new MalformedProtobuf(`field ${number} should be a varint`);
  return BigInt.asIntN(64, value);
}

function stringField(fields: Map<number, bigint | Uint8Array>, number: number): string {
  const value = fields.get(number);
  if (value === undefined) return '';
  if (typeof value === 'bigint') throw new MalformedProtobuf(`field ${number} should be length-delimited`);
  return decodeUtf8(value);
}

export function decodeSpecial(bytes: Uint8Array, type: SpecialType): unknown {
  switch (type) {
    case 'time':
    case 'microtime':
      return decodeTimestamp(bytes, type === 'microtime');
    case 'duration':
      return formatGoDuration(varintField(fieldsByNumber(bytes), 1));
    case 'intstr': {
      const fields = fieldsByNumber(bytes);
      // IntOrString.type: 0 = Int, 1 = String.
      return varintField(fields, 1) === 1n ? stringField(fields, 3) : Number(BigInt.asIntN(32, varintField(fields, 2)));
    }
    case 'quantity':
      // Clients send the canonical string form; an unset Quantity prints as "0".
      return stringField(fieldsByNumber(bytes), 1) || '0';
    case 'rawjson':
      return decodeRawJson(bytes);
    case 'stringlist': {
      const items = readFields(bytes)
        .filter((field) => field.number === 1)
        .map((field) => {
          if (field.wireType !== WireType.LengthDelimited) throw new MalformedProtobuf('string list item should be length-delimited');
          return decodeUtf8(field.value);
        });
      return items.length === 0 ? null : items;
    }
  }
}

/** The JSON of the Go zero value, for struct fields that are always printed. */
export function zeroOfSpecial(type: SpecialType): unknown {
  switch (type) {
    case 'intstr':
      return 0;
    case 'quantity':
      return '0';
    case 'duration':
      return '0s';
    default:
      return null; // zero Time/MicroTime, empty RawExtension, nil list
  }
}

/**
 * metav1.Time sends nothing for the zero time (printed as null) and prints whole seconds;
 * MicroTime keeps microseconds.
 */
function decodeTimestamp(bytes: Uint8Array, micro: boolean): string | null {
  if (bytes.length === 0) return null;
  const fields = fieldsByNumber(bytes);
  let seconds = varintField(fields, 1);
  // Time drops the nanoseconds on decode, exactly as upstream does to match its JSON.
  let nanos = micro ? BigInt.asIntN(32, varintField(fields, 2)) : 0n;
  seconds += nanos / 1_000_000_000n;
  nanos %= 1_000_000_000n;
  if (nanos < 0n) {
    nanos += 1_000_000_000n;
    seconds -= 1n;
  }
  // Go refuses to print years outside 0..9999 as RFC 3339.
  if (seconds < -62167219200n || seconds > 253402300799n) throw new MalformedProtobuf('timestamp outside years 0-9999');
  const iso = new Date(Number(seconds) * 1000).toISOString(); // 2006-01-02T15:04:05.000Z
  const whole = iso.slice(0, 19);
  if (!micro) return `${whole}Z`;
  return `${whole}.${String(nanos / 1000n).padStart(6, '0')}Z`;
}

function decodeRawJson(bytes: Uint8Array): unknown {
  const raw = fieldsByNumber(bytes).get(1);
  if (raw === undefined) return null;
  if (typeof raw === 'bigint') throw new MalformedProtobuf('raw object should be length-delimited');
  if (raw.length === 0) return null;
  try {
    return JSON.parse(decodeUtf8(raw));
  } catch {
    throw new MalformedProtobuf('embedded raw object is not JSON');
  }
}

/** Go's time.Duration.String(): "0s", "1.5s", "2m0s", "1h0m0s", "300ms", "1µs". */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  const magnitude = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (magnitude < 1_000_000_000n) {
    if (magnitude < 1_000n) return `${sign}${magnitude}ns`;
    if (magnitude < 1_000_000n) return `${sign}${decimal(magnitude, 1_000n)}µs`;
    return `${sign}${decimal(magnitude, 1_000_000n)}ms`;
  }
  let text = `${decimal(magnitude % 60_000_000_000n, 1_000_000_000n)}s`;
  const minutes = magnitude / 60_000_000_000n;
  if (minutes > 0n) {
    text = `${minutes % 60n}m${text}`;
    const hours = minutes / 60n;
    if (hours > 0n) text = `${hours}h${text}`;
  }
  return sign + text;
}

/** value/scale with the fraction's trailing zeros trimmed, as Go prints durations. */
function decimal(value: bigint, scale: bigint): string {
  const whole = value / scale;
  const fraction = value % scale;
  if (fraction === 0n) return `${whole}`;
  const digits = String(fraction)
    .padStart(String(scale).length - 1, '0')
    .replace(/0+$/, '');
  return `${whole}.${digits}`;
}
