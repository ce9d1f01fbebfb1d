// OpenAPI v3 schema validation of a custom resource, in the order and wording of kube-openapi's
// SchemaValidator as apiextensions runs it: type, allOf/anyOf/oneOf/not, string, format,
// number, array, enum, object. Every applicable check runs, so one value may fail several.
import type { FieldError } from '../field-errors.js';
import { checkStringFormat, effectiveFormat } from './formats.js';
import { goFloat } from './go-format.js';
import {
  childName,
  compositeFailure,
  enumFailure,
  fieldOf,
  invalidInBody,
  requiredProperty,
  tooLongString,
  tooManyEntries,
  typeInvalid,
} from './openapi-errors.js';
import { type JSONSchemaProps, canonicalJson, isIntOrString, isJsonMap, jsonEqual } from './schema.js';

type JsonKind = 'null' | 'boolean' | 'string' | 'integer' | 'number' | 'array' | 'object';

/** JSON integers decode to int64 upstream; anything fractional or out of range is a float64. */
function kindOf(value: unknown): JsonKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? 'integer' : 'number';
    default:
      return 'object';
  }
}

/** The Go format kube-openapi infers for decoded data: int64 for integers, double for floats. */
const dataFormat = (kind: JsonKind): string => (kind === 'integer' ? 'int64' : kind === 'number' ? 'double' : '');

/** int-or-string is validated as type [integer, string], as upstream converts it. */
function schemaTypes(schema: JSONSchemaProps): string[] {
  if (isIntOrString(schema)) return ['integer', 'string'];
  return schema.type ? [schema.type] : [];
}

export function validateAgainstSchema(value: unknown, schema: JSONSchemaProps, name: string, errs: FieldError[]): void {
  const types = schemaTypes(schema);
  const format = effectiveFormat(schema, types);
  const kind = kindOf(value);
  if (kind === 'null') {
    // Only the type and enum checks look at nulls.
    if (types.length > 0 && !schema.nullable) errs.push(typeInvalid(name, types.join(','), 'null'));
    checkEnum(value, schema, name, errs);
    return;
  }
  if (types.length > 0 || format !== '') checkType(value, kind, types, format, name, errs);
  checkComposition(value, schema, name, errs);
  if (typeof value === 'string') checkString(value, schema, format, name, errs);
  if (typeof value === 'number') checkNumber(value, kind, schema, name, errs);
  if (Array.isArray(value)) checkArray(value, schema, name, errs);
  checkEnum(value, schema, name, errs);
  if (isJsonMap(value)) checkObject(value, schema, name, errs);
}

function checkType(value: unknown, kind: JsonKind, types: string[], format: string, name: string, errs: FieldError[]): void {
  const actualFormat = dataFormat(kind);
  const isFloatInt = kind === 'number' && Number.isInteger(value) && types.includes('integer');
  const isIntFloat = kind === 'integer' && types.includes('number');
  const numericType = types.includes('number') || types.includes('integer');
  const stringOrArray = kind === 'string' || kind === 'array';
  if (!stringOrArray && format !== '' && !(types.includes(kind) || actualFormat === format || isFloatInt || isIntFloat)) {
    errs.push(typeInvalid(name, format, actualFormat));
    return;
  }
  // A string format on a non-numeric schema lets strings and arrays through (upstream quirk).
  if (!numericType && format !== '' && stringOrArray) return;
  if (!(types.includes(kind) || isFloatInt || isIntFloat)) errs.push(typeInvalid(name, types.join(','), kind));
}

function checkString(value: string, schema: JSONSchemaProps, format: string, name: string, errs: FieldError[]): void {
  // Lengths count Unicode code points; the first failing rule is the only one reported.
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    errs.push(tooLongString(name, schema.maxLength));
  } else if (schema.minLength !== undefined && length < schema.minLength) {
    errs.push(invalidInBody(name, value, `should be at least ${schema.minLength} chars long`));
  } else if (schema.pattern !== undefined && !matchesPattern(schema.pattern, value)) {
    errs.push(invalidInBody(name, value, `should match '${schema.pattern}'`));
  }
  if (format !== '' && checkStringFormat(format, value) === false) {
    // A format failure is reported like a type failure, naming the value itself.
    errs.push(typeInvalid(name, format, value));
  }
}

const patternCache = new Map<string, RegExp | null>();

/** Go's regexp.MatchString (unanchored). A pattern JavaScript cannot compile is not enforced. */
function matchesPattern(pattern: string, value: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    re = compile(pattern, 'u') ?? compile(pattern, '');
    patternCache.set(pattern, re);
  }
  return re === null || re.test(value);
}

function compile(pattern: string, flags: string): RegExp | null {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null;
  }
}

/** go-openapi's IsFloat64AJSONInteger: integral within a relative error of 1e-9. */
function isNearlyInteger(f: number): boolean {
  if (!Number.isFinite(f)) return false;
  const g = Math.trunc(f);
  if (f === g) return true;
  const diff = Math.abs(f - g);
  return diff / (Math.abs(f) + Math.abs(g)) < 1e-9;
}

function checkNumber(value: number, kind: JsonKind, schema: JSONSchemaProps, name: string, errs: FieldError[]): void {
  // Integers compare against bounds truncated to int64 and print them bare; floats use %v.
  const asInt = kind === 'integer';
  const bound = (b: number): number => (asInt ? Math.trunc(b) : b);
  const show = (b: number): string => (asInt ? String(Math.trunc(b)) : goFloat(b));
  const { multipleOf, minimum, maximum } = schema;
  if (multipleOf !== undefined) {
    if (multipleOf <= 0) {
      // CRD validation rejects such schemas; kept so a bad schema reports rather than loops.
      errs.push({ type: 'FieldValueInvalid', field: fieldOf(name), value: multipleOf, detail: `factor MultipleOf declared for ${name} must be positive: ${goFloat(multipleOf)}` });
    } else if (asInt && Number.isInteger(multipleOf) ? value % multipleOf !== 0 : !isNearlyInteger(value / multipleOf)) {
      const factor = asInt && Number.isInteger(multipleOf) ? String(multipleOf) : goFloat(multipleOf);
      errs.push(invalidInBody(name, value, `should be a multiple of ${factor}`));
    }
  }
  if (minimum !== undefined) {
    const min = bound(minimum);
    if (schema.exclusiveMinimum ? value <= min : value < min) {
      errs.push(invalidInBody(name, value, `should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${show(minimum)}`));
    }
  }
  if (maximum !== undefined) {
    const max = bound(maximum);
    if (schema.exclusiveMaximum ? value >= max : value > max) {
      errs.push(invalidInBody(name, value, `should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${show(maximum)}`));
    }
  }
}

function checkArray(value: unknown[], schema: JSONSchemaProps, name: string, errs: FieldError[]): void {
  const items = schema.items;
  if (items !== undefined) value.forEach((item, i) => validateAgainstSchema(item, items, `${name}[${i}]`, errs));
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errs.push(invalidInBody(name, value.length, `should have at least ${schema.minItems} items`));
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errs.push(tooManyEntries(name, value.length, schema.maxItems));
  }
  if (schema.uniqueItems && new Set(value.map(canonicalJson)).size !== value.length) {
    errs.push(invalidInBody(name, '', "shouldn't contain duplicates"));
  }
}

function checkEnum(value: unknown, schema: JSONSchemaProps, name: string, errs: FieldError[]): void {
  const allowed = schema.enum;
  if (allowed === undefined || allowed.length === 0) return;
  if (!allowed.some((candidate) => jsonEqual(candidate, value ?? null))) errs.push(enumFailure(name, value ?? null, allowed));
}

function checkObject(value: Record<string, unknown>, schema: JSONSchemaProps, name: string, errs: FieldError[]): void {
  const count = Object.keys(value).length;
  // Property-count failures stop the object checks, as upstream returns early.
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    errs.push(invalidInBody(name, count, `should have at least ${schema.minProperties} properties`));
    return;
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    errs.push(tooManyEntries(name, count, schema.maxProperties));
    return;
  }
  const properties = schema.properties ?? {};
  const additional = schema.additionalProperties;
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(properties, key)) continue;
    // Additional-property names are joined without the root special case ("x.key", ".key").
    if (additional === false) errs.push(invalidInBody(`${name}.${key}`, key, 'is a forbidden property'));
    else if (isJsonMap(additional)) validateAgainstSchema(value[key], additional, `${name}.${key}`, errs);
  }
  for (const [key, propSchema] of Object.entries(properties)) {
    if (Object.hasOwn(value, key)) validateAgainstSchema(value[key], propSchema, childName(name, key), errs);
  }
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(value, key)) errs.push(requiredProperty(`${name}.${key}`));
  }
}

/** allOf / anyOf / oneOf / not: each alternative is validated at the same path. */
function checkComposition(value: unknown, schema: JSONSchemaProps, name: string, errs: FieldError[]): void {
  const run = (sub: JSONSchemaProps): FieldError[] => {
    const out: FieldError[] = [];
    validateAgainstSchema(value, sub, name, out);
    return out;
  };
  if (schema.allOf?.length) {
    const results = schema.allOf.map(run);
    for (const r of results) errs.push(...r);
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== results.length) {
      errs.push(compositeFailure(name, `must validate all the schemas (allOf)${valid === 0 ? '. None validated' : ''}`));
    }
  }
  if (schema.anyOf?.length) {
    const results = schema.anyOf.map(run);
    if (!results.some((r) => r.length === 0)) {
      errs.push(compositeFailure(name, 'must validate at least one schema (anyOf)'));
      errs.push(...fewest(results));
    }
  }
  if (schema.oneOf?.length) {
    const results = schema.oneOf.map(run);
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== 1) {
      const extra = valid === 0 ? '. Found none valid' : `. Found ${valid} valid alternatives`;
      errs.push(compositeFailure(name, `must validate one and only one schema (oneOf)${extra}`));
      if (valid === 0) errs.push(...fewest(results));
    }
  }
  if (schema.not !== undefined && run(schema.not).length === 0) {
    errs.push(compositeFailure(name, 'must not validate the schema (not)'));
  }
}

/** The closest-matching alternative's failures (upstream keeps the best-scoring one). */
function fewest(results: FieldError[][]): FieldError[] {
  return results.reduce((best, r) => (r.length < best.length ? r : best));
}
