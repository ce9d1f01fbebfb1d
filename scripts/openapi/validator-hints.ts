// The .d.ts files say only "number" and "string"; whether a number is an integer and which
// format (int32, int64, double, byte, date-time) a field has survives only in the ajv
// validators kubernetes-models compiled from upstream's schemas. Those are generated code
// with a fixed shape, so a few regular expressions recover the per-property facts.

export interface PropertyHint {
  /** The JSON type the validator checks for ("integer", "number", "string", ...), if one. */
  type?: string;
  format?: string;
}

const FUNCTION_START = /function (validate\d+)\(data,/g;
const FORMAT_BINDING = /let (formats\d+)=formats(?:\.([\w]+)|\["([\w-]+)"\])/g;
const PROPERTY_CALL = /(validate\d+)\(data(?:\.([A-Za-z_$][\w$]*)|\["([^"]+)"\]),\{instancePath/g;
const CALLEE = /\b(validate\d+)\(/g;
const TYPE_PARAM = /params:\{type:"(\w+)"\}/g;
const FORMAT_USE = /\b(formats\d+)\.validate/g;

interface FunctionFacts {
  types: Set<string>;
  formats: Set<string>;
  callees: Set<string>;
}

function splitFunctions(source: string): Map<string, string> {
  const starts: Array<{ name: string; index: number }> = [];
  for (const match of source.matchAll(FUNCTION_START)) starts.push({ name: match[1]!, index: match.index });
  const bodies = new Map<string, string>();
  starts.forEach((start, i) => {
    const end = starts[i + 1]?.index ?? source.length;
    bodies.set(start.name, source.slice(start.index, end));
  });
  return bodies;
}

/** Facts of one function, including those of the same-file functions it calls (maps, arrays). */
function collectFacts(
  name: string,
  bodies: Map<string, string>,
  formatNames: Map<string, string>,
  seen = new Set<string>(),
): FunctionFacts {
  const facts: FunctionFacts = { types: new Set(), formats: new Set(), callees: new Set() };
  const body = bodies.get(name);
  if (body === undefined || seen.has(name)) return facts;
  seen.add(name);
  const header = body.indexOf('{'); // skip the parameter list, which mentions no callee
  const code = body.slice(header);
  for (const m of code.matchAll(TYPE_PARAM)) facts.types.add(m[1]!);
  for (const m of code.matchAll(FORMAT_USE)) {
    const format = formatNames.get(m[1]!);
    if (format) facts.formats.add(format);
  }
  for (const m of code.matchAll(CALLEE)) {
    if (m[1] === name || !bodies.has(m[1]!)) continue;
    const inner = collectFacts(m[1]!, bodies, formatNames, seen);
    inner.types.forEach((t) => facts.types.add(t));
    inner.formats.forEach((f) => facts.formats.add(f));
  }
  return facts;
}

/** Per-property type/format hints read from one compiled validator module's source. */
export function propertyHints(validatorSource: string): Map<string, PropertyHint> {
  const hints = new Map<string, PropertyHint>();
  const entry = /export const validate=(validate\d+)/.exec(validatorSource)?.[1];
  if (!entry) return hints;
  const bodies = splitFunctions(validatorSource);
  const formatNames = new Map<string, string>();
  for (const m of validatorSource.matchAll(FORMAT_BINDING)) formatNames.set(m[1]!, m[2] ?? m[3]!);
  const entryBody = bodies.get(entry) ?? '';
  for (const m of entryBody.matchAll(PROPERTY_CALL)) {
    const property = m[2] ?? m[3]!;
    const facts = collectFacts(m[1]!, bodies, formatNames);
    const hint: PropertyHint = {};
    // A numeric field reports "integer" or "number"; containers also report "array"/"object".
    if (facts.types.has('integer')) hint.type = 'integer';
    else if (facts.types.has('number')) hint.type = 'number';
    const format = [...facts.formats].find((f) => f !== 'quantity');
    if (format) hint.format = format;
    hints.set(property, hint);
  }
  return hints;
}
