// Path elements of structured-merge-diff, the addressing scheme of managedFields.
// An element is kept in its fieldsV1 spelling ("f:name", "k:{...}", "v:...", "i:3"): that string
// is canonical (key fields sorted, values JSON-encoded), so sets can key on it directly.

export type PathElement = string;
export type Path = readonly PathElement[];

export const fieldElement = (name: string): PathElement => `f:${name}`;
export const valueElement = (value: unknown): PathElement => `v:${canonicalJson(value)}`;
export const indexElement = (index: number): PathElement => `i:${index}`;

/** A map-list item's key: upstream sorts the key fields by name before encoding them. */
export function keyElement(fields: Readonly<Record<string, unknown>>): PathElement {
  return `k:${canonicalJson(fields)}`;
}

/** JSON with object keys sorted, as Go encodes map[string]interface{} values. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort(compareStrings)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Byte-wise comparison, as Go's strings.Compare on UTF-8 (equal to code point order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
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
      return compareValues(parseJson(ra), parseJson(rb));
    case 'i':
      return Math.sign(Number(ra) - Number(rb));
    default:
      return compareStrings(ra, rb);
  }
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
