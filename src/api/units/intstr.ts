// IntOrString helpers (apimachinery/pkg/util/intstr): "25%" of a total, or a plain integer.

export type IntOrString = number | string;

/** Go's strconv.Atoi: optional sign then decimal digits, within int64. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(n);
}

/** Splits an IntOrString into its number and whether it was a percentage. */
export function getIntOrPercentValue(value: IntOrString): { value: number; isPercent: boolean } {
  if (typeof value === 'number') return { value: Math.trunc(value), isPercent: false };
  if (typeof value !== 'string') throw new Error('invalid type: neither int nor percentage');
  if (!value.endsWith('%')) throw new Error('invalid type: string is not a percentage');
  try {
    return { value: atoi(value.slice(0, -1)), isPercent: true };
  } catch (e) {
    throw new Error(`invalid value ${JSON.stringify(value)}: ${(e as Error).message}`);
  }
}

/**
 * Resolves an IntOrString against a total: integers are returned as-is, percentages are scaled
 * and rounded up or down. Errors carry upstream's text, e.g.
 * `invalid value for IntOrString: invalid type: string is not a percentage`.
 */
export function getScaledValueFromIntOrPercent(value: IntOrString | null | undefined, total: number, roundUp: boolean): number {
  if (value === null || value === undefined) throw new Error('nil value for IntOrString');
  let parsed: { value: number; isPercent: boolean };
  try {
    parsed = getIntOrPercentValue(value);
  } catch (e) {
    throw new Error(`invalid value for IntOrString: ${(e as Error).message}`);
  }
  if (!parsed.isPercent) return parsed.value;
  const scaled = (parsed.value * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
