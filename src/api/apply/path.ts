// Path elements of structured-merge-diff, the addressing scheme of managedFields.
// An element is kept in its fieldsV1 spelling ("f:name", "k:{...}", "v:...", "i:3"): that string
// is canonical (key fields sorted, values JSON-encoded), so sets can key on it directly.

export type PathElement = string;
export type Path = readonly PathElement[];

/**
 * `f:${name}`, the same string each time for a name: the names are an object's keys, whose hash
 * V8 already keeps, and the element then keeps its own, so the sets and maps it lands in do not
 * hash a freshly built string on every write.
 */
export function fieldElement(name: string): PathElement {
  let element = fieldElements.get(name);
  if (element === undefined) {
    element = `f:${name}`;
    if (fieldElements.size >= fieldElementsMax) fieldElements.clear();
    fieldElements.set(name, element);
  }
  return element;
}

const fieldElements = new Map<string, PathElement>();
/** Past this many distinct field names the memo starts over (maps with free-form keys). */
const fieldElementsMax = 4096;
export const valueElement = (value: unknown): PathElement => `v:${canonicalJson(value)}`;
export const indexElement = (index: number): PathElement => `i:${index}`;

/** A map-list item's key: upstream sorts the key fields by name before encoding them. */
export function keyElement(fields: Readonly<Record<string, unknown>>): PathElement {
  return `k:${canonicalJson(fields)}`;
}

/** JSON with object keys sorted, as Go encodes map[string]interface{} values. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length > 1) keys.sort(compareStrings);
    let out = '{';
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out += ',';
      out += `${JSON.stringify(keys[i])}:${canonicalJson((value as Record<string, unknown>)[keys[i]!])}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Byte-wise comparison, as Go's strings.Compare on UTF-8 (equal to code point order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // Non-strings (a client's malformed managedFields) fail there exactly as they always did.
  if (typeof a !== 'string' || typeof b !== 'string') return compareCodePoints(a, b);
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Below the surrogates, UTF-16 code units order as code points do; the rest takes the slow way.
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return compareCodePoints(a, b);
  }
  // One is a prefix of the other in code units, hence also in code points (or ends in half a pair).
  return a.length < b.length ? -1 : 1;
}

function compareCodePoints(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!.codePointAt(0)!;
    const y = cb[i]!.codePointAt(0)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return Math.sign(ca.length - cb.length);
}

/** Ranks for value.Compare's total order: numbers, strings, booleans, lists, maps, null. */
function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return Math.sign(a.length - b.length);
  }
  if (ra === 4) return compareFieldLists(a as Record<string, unknown>, b as Record<string, unknown>);
  return 0;
}

/** Compares two objects as sorted (name, value) lists, the way upstream orders list keys. */
function compareFieldLists(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a).sort(compareStrings);
  const kb = Object.keys(b).sort(compareStrings);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const byName = compareStrings(ka[i]!, kb[i]!);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[ka[i]!], b[kb[i]!]);
    if (byValue !== 0) return byValue;
  }
  return Math.sign(ka.length - kb.length);
}

const KIND_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** PathElement.Compare: field names, then keys, then values, then indexes. */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a === b) return 0;
  // Two field names: "f:" is a common prefix, so the whole strings order as the names do.
  if (a.charCodeAt(0) === F && b.charCodeAt(0) === F && a.charCodeAt(1) === COLON && b.charCodeAt(1) === COLON) return compareStrings(a, b);
  const ka = KIND_ORDER[a[0] ?? ''] ?? 4;
  const kb = KIND_ORDER[b[0] ?? ''] ?? 4;
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ra = a.slice(2);
  const rb = b.slice(2);
  switch (a[0]) {
    case 'f':
      return compareStrings(ra, rb);
    case 'k':
    case 'v':
      return compareValues(parsedElementValue(ra), parsedElementValue(rb));
    case 'i':
      return Math.sign(Number(ra) - Number(rb));
    default:
      return compareStrings(ra, rb);
  }
}

const F = 'f'.charCodeAt(0);
const COLON = ':'.charCodeAt(0);

/**
 * Parsed values of "k:" and "v:" elements: sorting fieldsV1 compares the same few list keys
 * (condition types, container names) over and over. Values are shared, so never mutate them.
 */
const parsedElementValues = new Map<string, unknown>();
/** Past this many distinct elements the memo starts over, so odd objects cannot grow it forever. */
const parsedElementValuesMax = 4096;

function parsedElementValue(text: string): unknown {
  let value = parsedElementValues.get(text);
  if (value === undefined && !parsedElementValues.has(text)) {
    value = parseJson(text);
    if (parsedElementValues.size >= parsedElementValuesMax) parsedElementValues.clear();
    parsedElementValues.set(text, value);
  }
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Whether a string is a well-formed element (used when decoding fieldsV1 from clients). */
export function isPathElement(text: string): boolean {
  if (text.startsWith('f:')) return true;
  if (text.startsWith('i:')) return /^i:\d+$/.test(text);
  if (text.startsWith('k:') || text.startsWith('v:')) {
    try {
      const parsed = JSON.parse(text.slice(2)) as unknown;
      return !text.startsWith('k:') || (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed));
    } catch {
      return false;
    }
  }
  return false;
}

/** Re-encodes a decoded element canonically, so "k:" keys written by clients match ours. */
export function normalizeElement(text: string): PathElement {
  if (text.startsWith('k:') || text.startsWith('v:')) return `${text.slice(0, 2)}${canonicalJson(JSON.parse(text.slice(2)))}`;
  return text;
}

/**
 * A fieldsV1 key as an element (isPathElement, then normalizeElement), or undefined when it is
 * malformed. Stored managedFields repeat the same list keys on every object, so "k:" and "v:"
 * keys are memoised; field names and indexes need no parsing.
 */
export function elementOfFieldsV1Key(text: string): PathElement | undefined {
  if (text.startsWith('f:')) return text;
  if (text.startsWith('i:')) return /^i:\d+$/.test(text) ? text : undefined;
  if (!text.startsWith('k:') && !text.startsWith('v:')) return undefined;
  let element = decodedKeys.get(text);
  if (element === undefined) {
    element = isPathElement(text) ? normalizeElement(text) : null;
    if (decodedKeys.size >= decodedKeysMax) decodedKeys.clear();
    decodedKeys.set(text, element);
  }
  return element ?? undefined;
}

/** fieldsV1 key → element (null: malformed). */
const decodedKeys = new Map<string, PathElement | null>();
/** Past this many distinct keys the memo starts over, so odd objects cannot grow it forever. */
const decodedKeysMax = 4096;

/** Go's %v of a value.ToString: strings quoted (%q), others as JSON. */
function valueToString(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return canonicalJson(value);
}

/** Path.String() as conflict messages print it: .spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]. */
export function pathToString(path: Path): string {
  return path
    .map((element) => {
      const rest = element.slice(2);
      switch (element[0]) {
        case 'f':
          return `.${rest}`;
        case 'k': {
          const key = JSON.parse(rest) as Record<string, unknown>;
          const parts = Object.keys(key)
            .sort(compareStrings)
            .map((name) => `${name}=${valueToString(key[name])}`);
          return `[${parts.join(',')}]`;
        }
        case 'v':
          return `[=${valueToString(JSON.parse(rest))}]`;
        case 'i':
          return `[${rest}]`;
        default:
          return '{{invalid path element}}';
      }
    })
    .join('');
}
