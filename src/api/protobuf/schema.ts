// The compact notation our protobuf field tables are written in, and its parser.
//
// Each message is one string of space-separated fields: `[...]jsonName=number:type[mark]`
//   type   string | bool | int32 | int64 | uint32 | uint64 | double | float | bytes
//          | time | microtime | duration | intstr | quantity | rawjson | stringlist   (apimachinery special types)
//          | Name (message in the same table) | ns:Name (e.g. meta/v1:ObjectMeta)
//          suffixed `[]` for repeated, or written `map<type>` for a map with string keys.
//   mark   how the Go field is declared, which decides what the JSON shows:
//          (none) value with omitempty: shown only when non-zero / non-empty
//          *      pointer with omitempty: shown whenever it was sent, even if zero
//          !      value without omitempty, or a struct (omitempty never drops structs): always shown
//          !*     pointer without omitempty: shown as null when not sent
//   ...    the Go struct is embedded (`json:",inline"`): its fields are spread into the parent.

export type ScalarType = 'string' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float' | 'bytes';
export type SpecialType = 'time' | 'microtime' | 'duration' | 'intstr' | 'quantity' | 'rawjson' | 'stringlist';
export type Presence = 'omitempty' | 'pointer' | 'always' | 'alwaysOrNull';

export type FieldType = { kind: 'scalar'; scalar: ScalarType } | { kind: 'special'; special: SpecialType } | { kind: 'message'; ref: string };

export interface FieldSchema {
  jsonName: string;
  number: number;
  shape: 'single' | 'repeated' | 'map';
  type: FieldType;
  presence: Presence;
  inline: boolean;
}

export interface MessageSchema {
  /** Qualified name, e.g. "core/v1:Container". */
  name: string;
  fields: FieldSchema[];
  byNumber: Map<number, FieldSchema>;
}

/** One API group version's table: every message reachable from its kinds. */
export interface SchemaGroup {
  /** Short name used in qualified references, e.g. "rbac/v1". */
  namespace: string;
  /** The apiVersion objects of this table carry, e.g. "rbac.authorization.k8s.io/v1". */
  apiVersion: string;
  /** Top-level kinds whose message has the same name in `messages`. */
  kinds: string[];
  messages: Record<string, string>;
}

const SCALARS = new Set<string>(['string', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float', 'bytes']);
const SPECIALS = new Set<string>(['time', 'microtime', 'duration', 'intstr', 'quantity', 'rawjson', 'stringlist']);
const FIELD_PATTERN = /^(\.\.\.)?([A-Za-z_$][\w$-]*)=(\d+):(.+?)(!\*|!|\*)?$/;
const PRESENCE_BY_MARK: Record<string, Presence> = { '': 'omitempty', '*': 'pointer', '!': 'always', '!*': 'alwaysOrNull' };

function parseType(text: string, namespace: string): FieldType {
  if (SCALARS.has(text)) return { kind: 'scalar', scalar: text as ScalarType };
  if (SPECIALS.has(text)) return { kind: 'special', special: text as SpecialType };
  if (!/^([\w.-]+\/\w+:)?\w+$/.test(text)) throw new Error(`bad type "${text}"`);
  return { kind: 'message', ref: text.includes(':') ? text : `${namespace}:${text}` };
}

export function parseField(token: string, namespace: string): FieldSchema {
  const match = FIELD_PATTERN.exec(token);
  if (!match) throw new Error(`bad field "${token}"`);
  const [, inline, jsonName, number, typeText, mark] = match as unknown as [string, string | undefined, string, string, string, string | undefined];
  let shape: FieldSchema['shape'] = 'single';
  let inner = typeText;
  if (inner.endsWith('[]')) {
    shape = 'repeated';
    inner = inner.slice(0, -2);
  } else if (inner.startsWith('map<') && inner.endsWith('>')) {
    shape = 'map';
    inner = inner.slice(4, -1);
  }
  return { jsonName, number: Number(number), shape, type: parseType(inner, namespace), presence: PRESENCE_BY_MARK[mark ?? '']!, inline: inline !== undefined };
}

export function parseMessage(namespace: string, name: string, text: string): MessageSchema {
  const fields = text
    .split(' ')
    .filter((token) => token !== '')
    .map((token) => parseField(token, namespace));
  return { name: `${namespace}:${name}`, fields, byNumber: new Map(fields.map((field) => [field.number, field])) };
}
