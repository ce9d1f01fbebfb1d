// Fast paths for values this process wrote itself. The watch cache must hold, for every stored
// value, exactly what `JSON.parse(value)` gives plus metadata.resourceVersion, and that object's
// JSON. When the writer hands over the object it serialised, parsing the value again and
// re-serialising the whole object is wasted work: the object can be adopted as it is, and the
// resourceVersion spliced into the value's text. Both helpers refuse (return false/undefined)
// whenever the shortcut could differ from the slow path by a single byte or property.

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

const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const colon = 0x3a;
const comma = 0x2c;

/** Index of the quote closing the string whose opening quote is at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  // indexOf beats a character loop: managedFields is mostly short strings between brackets.
  let end = text.indexOf('"', start + 1);
  while (end > 0 && text.charCodeAt(end - 1) === backslash) {
    // Escaped unless the backslashes before it escape each other.
    let slashes = 1;
    while (text.charCodeAt(end - 1 - slashes) === backslash) slashes++;
    if (slashes % 2 === 0) break;
    end = text.indexOf('"', end + 1);
  }
  return end;
}

/** Index just past the JSON value starting at `start` (compact JSON, as JSON.stringify writes it), or -1. */
function skipValue(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === quote) {
    const end = closingQuote(text, start);
    return end < 0 ? -1 : end + 1;
  }
  if (first !== openBrace && first !== openBracket) {
    // A number, true, false or null: runs until the next delimiter.
    let i = start;
    while (i < text.length && !isDelimiter(text.charCodeAt(i))) i++;
    return i;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      i = closingQuote(text, i);
      if (i < 0) return -1;
    } else if (c === openBrace || c === openBracket) depth++;
    else if ((c === closeBrace || c === closeBracket) && --depth === 0) return i + 1;
  }
  return -1;
}

function isDelimiter(c: number): boolean {
  return c === comma || c === closeBrace || c === closeBracket;
}

/** Where the value of the top-level member "metadata" starts, or -1 when there is none or the text is not compact JSON. */
function findMetadata(text: string): number {
  if (text.charCodeAt(0) !== openBrace) return -1;
  let i = 1;
  while (text.charCodeAt(i) === quote) {
    const keyEnd = skipValue(text, i);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== colon) return -1;
    if (keyEnd - i === '"metadata"'.length && text.startsWith('"metadata"', i)) return keyEnd + 1;
    i = skipValue(text, keyEnd + 1);
    if (i < 0 || text.charCodeAt(i) !== comma) return -1;
    i++;
  }
  return -1;
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
