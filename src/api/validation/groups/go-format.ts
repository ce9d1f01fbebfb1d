// Upstream prints a structured bad value with Go's %#v (maps, structs, IntOrString, LabelSelector).
// The shared formatter prints JSON for objects, so the groups render those values here and hand the
// finished text over through invalidRendered(). Only the shapes users actually hit are rendered;
// pointers inside structs print as an address, like upstream, with a stable fake one.
import { FieldPath, type FieldError } from '../../field-errors.js';

type PathLike = FieldPath | string;

/** field.Invalid whose value is already rendered as Go text: "Invalid value: <text>: <detail>". */
export function invalidRendered(path: PathLike, value: unknown, rendered: string, detail?: string): FieldError {
  return {
    type: 'FieldValueInvalid',
    field: path.toString(),
    value,
    omitValue: true,
    detail: detail ? `${rendered}: ${detail}` : rendered,
  };
}

/** field.NotSupported with a pre-rendered value. */
export function notSupportedRendered(path: PathLike, value: unknown, rendered: string, supported: readonly string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return {
    type: 'FieldValueNotSupported',
    field: path.toString(),
    value,
    omitValue: true,
    detail: supported.length ? `${rendered}: supported values: ${list}` : rendered,
  };
}

/** Go's %q for a string (close enough to JSON for printable text). */
export const goQuote = (s: string): string => JSON.stringify(s);

/** %#v of map[string]string: nil prints as map[string]string(nil); keys are sorted like fmt does. */
export function goStringMap(m: Record<string, string> | undefined | null): string {
  if (m === undefined || m === null) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ')}}`;
}

/** %#v of []string. */
export function goStringSlice(list: readonly string[] | undefined | null): string {
  if (list === undefined || list === null) return '[]string(nil)';
  return `[]string{${list.map(goQuote).join(', ')}}`;
}

/** %#v of intstr.IntOrString (a value, not a pointer: IntOrString's String() has a pointer receiver). */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
}

interface SelectorRequirementLike {
  key?: string;
  operator?: string;
  values?: string[];
}
interface SelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: SelectorRequirementLike[];
}

/** %#v of a (dereferenced) metav1.LabelSelector. */
export function goLabelSelector(sel: SelectorLike | undefined | null): string {
  const s = sel ?? {};
  const exprs =
    s.matchExpressions === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${s.matchExpressions
          .map((r) => `v1.LabelSelectorRequirement{Key:${goQuote(r.key ?? '')}, Operator:${goQuote(r.operator ?? '')}, Values:${goStringSlice(r.values)}}`)
          .join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** A pointer field inside a struct: upstream prints (*T)(0xc...) or (*T)(nil). */
export function goPointer(typeName: string, present: boolean): string {
  return present ? `(*${typeName})(0xc000000000)` : `(*${typeName})(nil)`;
}
