// Resource quantities ("500m", "1Gi", "2e3") reduced to exact integers of nano-units, enough
// to sum and compare them the way upstream's resource.Quantity does for QoS decisions.

const binarySuffixes: Record<string, bigint> = {
  Ki: 1024n ** 1n, Mi: 1024n ** 2n, Gi: 1024n ** 3n, Ti: 1024n ** 4n, Pi: 1024n ** 5n, Ei: 1024n ** 6n,
};
const decimalExponents: Record<string, number> = {
  n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};
const quantityPattern = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** Divides rounding towards +infinity, as upstream rounds sub-nano precision up. */
function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return quotient * denominator < numerator ? quotient + 1n : quotient;
}

/**
 * Results by text: each pod write computes its QoS class from the same few quantities. Emptied
 * when full, so odd inputs cannot grow it.
 */
const nanosByText = new Map<string, bigint | undefined>();
const nanosByTextMax = 1_024;

/** The quantity in units of 1e-9, or undefined when the text is not a quantity. */
export function quantityToNano(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return quantityToNano(String(value));
  if (typeof value !== 'string') return undefined;
  if (nanosByText.has(value)) return nanosByText.get(value);
  const nanos = textToNano(value);
  if (nanosByText.size >= nanosByTextMax) nanosByText.clear();
  nanosByText.set(value, nanos);
  return nanos;
}

function textToNano(value: string): bigint | undefined {
  const match = quantityPattern.exec(value.trim());
  if (!match) return undefined;
  const [, sign = '', number = '', suffix = ''] = match;
  const [whole = '', fraction = ''] = number.split('.');
  const digits = BigInt(`${whole}${fraction}` || '0');
  let numerator = digits * 10n ** 9n;
  let denominator = 10n ** BigInt(fraction.length);
  if (suffix in binarySuffixes) {
    numerator *= binarySuffixes[suffix]!;
  } else {
    const exponent = suffix in decimalExponents ? decimalExponents[suffix]! : Number(suffix.slice(1));
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  const magnitude = ceilDiv(numerator, denominator);
  return sign === '-' ? -magnitude : magnitude;
}
