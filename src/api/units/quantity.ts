// resource.Quantity as upstream (apimachinery/pkg/api/resource): parsing, exact comparison and
// the canonical serialisation ("100m", "1Gi", "1500M"). Values are held exactly as a count of
// nano-units in a bigint, since upstream rounds every parsed value up to 1n anyway.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const QUANTITY_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_REGEX}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

const NANO = 9;
const NANOS_PER_UNIT = 10n ** BigInt(NANO);
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);

const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const decimalSuffixByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binarySuffixByExponent = new Map(Object.entries(binarySuffixes).map(([s, e]) => [e, s]));

/** Divides rounding away from zero, as upstream's scaling helpers do. */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

export class Quantity {
  /**
   * @param nanos exact value times 10^9
   * @param format how the value is printed when no original string is kept
   * @param original upstream keeps the input text when it is already canonical
   */
  constructor(
    readonly nanos: bigint,
    readonly format: QuantityFormat = 'DecimalSI',
    private readonly original?: string,
  ) {}

  static fromMilli(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(milli) * 1_000_000n, format);
  }
  static fromInt(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value) * NANOS_PER_UNIT, format);
  }

  /** Value in thousandths, rounded away from zero (ScaledValue(Milli)). */
  milliValue(): bigint {
    return divAwayFromZero(this.nanos, 1_000_000n);
  }
  /** Integer value, rounded away from zero ("1m" -> 1) like upstream's Value(). */
  value(): bigint {
    return divAwayFromZero(this.nanos, NANOS_PER_UNIT);
  }
  /** Value scaled to 10^scale units, rounded away from zero (ScaledValue). */
  scaledValue(scale: number): bigint {
    const shift = scale + NANO;
    if (shift >= 0) return divAwayFromZero(this.nanos, 10n ** BigInt(shift));
    return this.nanos * 10n ** BigInt(-shift);
  }
  asApproximateFloat64(): number {
    return Number(this.nanos) / 1e9;
  }
  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }
  sign(): -1 | 0 | 1 {
    return this.nanos < 0n ? -1 : this.nanos > 0n ? 1 : 0;
  }
  isZero(): boolean {
    return this.nanos === 0n;
  }
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.format);
  }
  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.format);
  }
  neg(): Quantity {
    return new Quantity(-this.nanos, this.format);
  }
  equal(other: Quantity): boolean {
    return this.nanos === other.nanos;
  }

  toJSON(): string {
    return this.toString();
  }

  toString(): string {
    if (this.original !== undefined) return this.original;
    if (this.nanos === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      // Small or fractional binary values read better (and exactly) in decimal.
      const small = this.nanos > -1024n * NANOS_PER_UNIT && this.nanos < 1024n * NANOS_PER_UNIT;
      if (small || this.nanos % NANOS_PER_UNIT !== 0n) format = 'DecimalSI';
    }
    if (format === 'BinarySI') return canonicalBinary(this.nanos / NANOS_PER_UNIT);
    return canonicalDecimal(this.nanos, format);
  }
}

/** mantissa * 10^exponent with the exponent a multiple of 3 and trailing zeros folded in. */
function canonicalDecimal(nanos: bigint, format: QuantityFormat): string {
  let mantissa = nanos;
  let exponent = -NANO;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const rem = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(rem);
  exponent -= rem;
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  let suffix = decimalSuffixByExponent.get(exponent);
  while (suffix === undefined) {
    // Beyond exa: keep the largest suffix and widen the mantissa.
    mantissa *= 1000n;
    exponent -= 3;
    suffix = decimalSuffixByExponent.get(exponent);
  }
  return `${mantissa}${suffix}`;
}

function canonicalBinary(units: bigint): string {
  let mantissa = units;
  let exponent = 0;
  while (exponent < 60 && mantissa % 1024n === 0n && (mantissa >= 1024n || mantissa <= -1024n)) {
    mantissa /= 1024n;
    exponent += 10;
  }
  return `${mantissa}${binarySuffixByExponent.get(exponent) ?? ''}`;
}

interface SplitQuantity {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

/** Splits "+012.50Mi" into sign, numerator digits (leading zeros dropped), fraction digits, suffix. */
function splitQuantity(str: string): SplitQuantity {
  let pos = 0;
  let positive = true;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (str[pos] === '0') pos++;
  const numStart = pos;
  while (pos < str.length && isDigit(str[pos]!)) pos++;
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (pos < str.length && isDigit(str[pos]!)) pos++;
    denom = str.slice(denomStart, pos);
  }
  const suffixStart = pos;
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos]!)) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (pos < str.length && isDigit(str[pos]!)) pos++;
  if (pos < str.length) throw new Error(ERR_FORMAT_WRONG);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  const bin = binarySuffixes[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  const dec = decimalSuffixes[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Number.isSafeInteger(exponent) && Math.abs(exponent) < 2 ** 31) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw new Error(ERR_SUFFIX);
}

/**
 * Quantities already parsed, by text: every pod write validates the same few ("100m", "500Mi")
 * and a Quantity never changes, so one instance can serve them all. Only successes are kept;
 * the map is emptied when full so odd inputs cannot grow it.
 */
const parsedQuantities = new Map<string, Quantity>();
const parsedQuantitiesMax = 1_024;

/** Parses a quantity string (or a JSON number) exactly as upstream's ParseQuantity. */
export function parseQuantity(text: string | number): Quantity {
  if (typeof text !== 'string') return parseQuantityUncached(text);
  const known = parsedQuantities.get(text);
  if (known) return known;
  const parsed = parseQuantityUncached(text);
  if (parsedQuantities.size >= parsedQuantitiesMax) parsedQuantities.clear();
  parsedQuantities.set(text, parsed);
  return parsed;
}

function parseQuantityUncached(text: string | number): Quantity {
  const str = typeof text === 'number' ? numberToText(text) : text;
  if (str.length === 0) throw new Error(ERR_FORMAT_WRONG);
  if (str === '0') return new Quantity(0n, 'DecimalSI', '0');
  const { positive, num, denom, suffix } = splitQuantity(str);
  const { base, exponent, format: parsedFormat } = interpretSuffix(suffix);
  let format = parsedFormat;

  // Exact value as digits * 10^scale (times 2^exponent for binary suffixes).
  const digits = BigInt(num + denom);
  let scale = -denom.length;
  let numerator = digits;
  if (base === 10) scale += exponent;
  else numerator *= 2n ** BigInt(exponent);

  // Convert to nanos, rounding any finer remainder up (away from zero): asking for a tiny bit
  // of a resource should still yield some of it.
  let nanos: bigint;
  const shift = scale + NANO;
  if (shift >= 0) nanos = numerator * 10n ** BigInt(shift);
  else nanos = divAwayFromZero(numerator, 10n ** BigInt(-shift));

  if (format === 'BinarySI' && nanos > MAX_INT64 * NANOS_PER_UNIT) nanos = MAX_INT64 * NANOS_PER_UNIT;
  if (format === 'BinarySI' && nanos > 0n && nanos < NANOS_PER_UNIT) format = 'DecimalSI';
  if (!positive) nanos = -nanos;

  return new Quantity(nanos, format, keptOriginal(str, num, denom, base, exponent));
}

/**
 * Upstream's fast path keeps the caller's text verbatim when it fits in int64 and already looks
 * canonical (no redundant trailing zeros, suffix step of three, no leading zero digit).
 */
function keptOriginal(str: string, num: string, denom: string, base: 2 | 10, exponent: number): string | undefined {
  let precision: number;
  let mantissa = 1n;
  let scale = 0;
  if (base === 10) {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  } else if (exponent >= 0 && denom.length === 0) {
    mantissa = 1n << BigInt(exponent);
    precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision < 0) return undefined;
  scale -= denom.length;
  if (scale < -NANO) return undefined;
  const shifted = num + denom;
  const value = BigInt(shifted);
  if (value > MAX_INT64) return undefined;
  const result = value * mantissa;
  if (result > MAX_INT64 || result < MIN_INT64) return undefined;
  if (base === 2) {
    return exponent % 10 === 0 && (value & 7n) !== 0n ? str : undefined;
  }
  return scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0' ? str : undefined;
}

/** JSON numbers are decoded by upstream as their decimal text. */
function numberToText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(ERR_FORMAT_WRONG);
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n).replace('e+', 'e');
}

/** Like parseQuantity but returns undefined instead of throwing. */
export function tryParseQuantity(text: unknown): Quantity | undefined {
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  try {
    return parseQuantity(text);
  } catch {
    return undefined;
  }
}
