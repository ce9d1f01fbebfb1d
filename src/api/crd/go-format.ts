// Go's fmt renderings that surface in upstream's CRD validation messages: %v of a float64
// (schema bounds such as "should be less than or equal to 1e+06") and %#v of decoded JSON
// (duplicate list-map keys print as map[string]interface {}{"port":80}).
import type { FieldError } from '../field-errors.js';
import { isJsonMap } from './schema.js';

/**
 * fmt's %v for a float64 (strconv 'g', shortest): the shortest round-trip digits, in exponent
 * form when the decimal exponent is below -4 or at least 6 — so 1e6 prints as "1e+06".
 */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(value)));
  if (exp >= -4 && exp < 6) return String(value);
  // JavaScript writes 1e-7 / 1e+21; Go pads the exponent to two digits: 1e-07, 1e+21.
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

/** %v of a decoded JSON number: integers as int64, anything else as float64. */
export function goNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? String(value) : goFloat(value);
}

/** Go's %#v of a value decoded from JSON into interface{}. */
export function goSharpV(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSharpV).join(', ')}}`;
  if (isJsonMap(value)) {
    // Go's fmt prints map keys sorted.
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goSharpV(value[k])}`);
    return `map[string]interface {}{${entries.join(', ')}}`;
  }
  return String(value);
}

/**
 * A field error whose bad value is printed the way upstream's ErrorBody does for decoded
 * JSON: compound values use %#v and floats %v, which the shared formatter cannot express,
 * so the rendered value is carried in the detail with the value slot omitted.
 */
export function withGoValue(error: FieldError): FieldError {
  const { value } = error;
  // Floats differ too: Go prints 1500000.5 as 1.5000005e+06.
  const goFloatDiffers = typeof value === 'number' && goNumber(value) !== String(value);
  if (!Array.isArray(value) && !isJsonMap(value) && !goFloatDiffers) return error;
  const rendered = typeof value === 'number' ? goNumber(value) : goSharpV(value);
  return { ...error, omitValue: true, detail: error.detail ? `${rendered}: ${error.detail}` : rendered };
}
