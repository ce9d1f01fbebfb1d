// Fast paths for values this process wrote itself. The watch cache must hold, for every stored
// value, exactly what `JSON.parse(value)` gives plus metadata.resourceVersion, and that object's
// JSON. When the writer hands over the object it serialised, parsing the value again and
// re-serialising the whole object is wasted work: the object can be adopted as it is, and the
// resourceVersion spliced into the value's text. Both helpers refuse (return false/undefined)
// whenever the shortcut could differ from the slow path by a single byte or property.

import { findMember, skipValue } from '../../api/compact-json.js';

const openBrace = 0x7b;

/**
 * True when `value` is plain JSON data, so that `JSON.parse(JSON.stringify(value))` would be
 * indistinguishable from it: only plain objects and arrays, strings, booleans, null and finite
 * numbers other than -0. Anything JSON.stringify would drop or change (undefined members,
 * functions, NaN, Dates, class instances, holes) makes it false.
 */
export function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      // -0 is written as 0; NaN and the infinities as null.
      return Number.isFinite(value) && (value !== 0 || 1 / value > 0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return false;
        // A hole reads as undefined, which fails below.
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      const record = value as Record<string, unknown>;
      for (const key in record) if (!isPlainJson(record[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** Where the value of the top-level member "metadata" starts, or -1 when there is none or the text is not compact JSON. */
function findMetadata(text: string): number {
  return findMember(text, 0, 'metadata')?.valueStart ?? -1;
}

/**
 * The JSON of `value` with metadata.resourceVersion set, byte for byte what
 * `JSON.stringify` of the parsed value with `metadata = { ...metadata, resourceVersion }` gives,
 * or undefined when the value does not have the one shape where splicing is exact: JSON.stringify
 * output (trusted, not checked) whose top-level metadata is an object without a resourceVersion.
 */
export function spliceResourceVersion(value: string, resourceVersion: string): string | undefined {
  const metadataStart = findMetadata(value);
  if (metadataStart < 0 || value.charCodeAt(metadataStart) !== openBrace) return undefined;
  const metadataEnd = skipValue(value, metadataStart) - 1;
  if (metadataEnd < 0) return undefined;
  // A resourceVersion already in metadata keeps its place when set, so splicing at the end would
  // be wrong. Any occurrence counts, nested or not: a false alarm only costs the slow path.
  const existing = value.indexOf('"resourceVersion":', metadataStart);
  if (existing >= 0 && existing < metadataEnd) return undefined;
  const separator = metadataEnd === metadataStart + 1 ? '' : ',';
  return `${value.slice(0, metadataEnd)}${separator}"resourceVersion":${JSON.stringify(resourceVersion)}${value.slice(metadataEnd)}`;
}
