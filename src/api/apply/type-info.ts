// How apply sees each part of an object (structured-merge-diff's schema, reduced to what apply
// needs): scalars are leaves; structs have declared fields; maps have free-form keys; lists are
// atomic, sets of primitives, or maps keyed by some item fields. Atomic structs, maps and lists
// are owned and replaced as a whole.

export type ListType = 'atomic' | 'set' | 'map';

export interface ScalarType {
  readonly kind: 'scalar';
}

export interface StructType {
  readonly kind: 'struct';
  readonly atomic: boolean;
  /** The type of a declared field; undefined for undeclared fields (treated as untyped). */
  field(name: string): TypeInfo | undefined;
}

export interface MapType {
  readonly kind: 'map';
  readonly atomic: boolean;
  values(): TypeInfo;
}

export interface ListTypeInfo {
  readonly kind: 'list';
  readonly listType: ListType;
  /** For map lists: the key fields (upstream's listMapKeys). */
  readonly keys: readonly string[];
  /** Defaults of key fields that may be omitted (ports' protocol defaults to TCP). */
  readonly keyDefaults: Readonly<Record<string, unknown>>;
  items(): TypeInfo;
}

/**
 * A value whose shape only the data tells: objects behave as structs whose keys are all
 * declared fields, lists are atomic. Used for custom resources without a schema and
 * for x-kubernetes-preserve-unknown-fields.
 */
export interface UntypedType {
  readonly kind: 'untyped';
}

export type TypeInfo = ScalarType | StructType | MapType | ListTypeInfo | UntypedType;

export const scalarType: ScalarType = { kind: 'scalar' };
export const untypedType: UntypedType = { kind: 'untyped' };

export function structType(fields: Record<string, TypeInfo | (() => TypeInfo)>, atomic = false): StructType {
  return {
    kind: 'struct',
    atomic,
    field: (name) => {
      if (!Object.prototype.hasOwnProperty.call(fields, name)) return undefined;
      const f = fields[name];
      return typeof f === 'function' ? f() : f;
    },
  };
}

export function mapType(values: TypeInfo, atomic = false): MapType {
  return { kind: 'map', atomic, values: () => values };
}

export function listType(
  type: ListType,
  items: TypeInfo | (() => TypeInfo),
  keys: readonly string[] = [],
  keyDefaults: Record<string, unknown> = {},
): ListTypeInfo {
  return { kind: 'list', listType: type, keys, keyDefaults, items: typeof items === 'function' ? items : () => items };
}

/** The type of a struct field or map entry, falling back to untyped for undeclared fields. */
export function childType(type: StructType | MapType, name: string): TypeInfo {
  if (type.kind === 'map') return type.values();
  return type.field(name) ?? untypedType;
}

/** Whether the children of this map-like value are declared fields (struct) or entries (map). */
export function isDeclaredField(type: StructType | MapType | UntypedType, name: string): boolean {
  if (type.kind === 'map') return false;
  if (type.kind === 'untyped') return true;
  return type.field(name) !== undefined;
}

export function isAtomic(type: TypeInfo): boolean {
  switch (type.kind) {
    case 'scalar':
      return true;
    case 'list':
      return type.listType === 'atomic';
    case 'struct':
    case 'map':
      return type.atomic;
    case 'untyped':
      return false;
  }
}
