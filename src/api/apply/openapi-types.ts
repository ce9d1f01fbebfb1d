// Builds apply's TypeInfo from OpenAPI component schemas, the way upstream converts OpenAPI to
// structured-merge-diff schemas: x-kubernetes-list-type / list-map-keys / map-type decide when
// present (CRD schemas carry them); otherwise our table of upstream tags; otherwise a list with
// patchStrategy merge is a map keyed by its merge key (or a set, for primitives), else atomic.
import { parseApiVersion } from '../object.js';
import { schemaNameForKind, schemaStore, type JsonSchema } from '../../apiserver/openapi/schema-store.js';
import {
  listType,
  scalarType,
  untypedType,
  type ListTypeInfo,
  type MapType,
  type StructType,
  type TypeInfo,
} from './type-info.js';
import { ATOMIC_MAPS, ATOMIC_STRUCTS, LIST_TOPOLOGY, topologyName, type ListTopology } from './upstream-topology.js';

const REF_PREFIX = '#/components/schemas/';

/** Named schemas that are scalars on the wire although OpenAPI does not say "type" for all of them. */
const SCALAR_SCHEMAS = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
]);

type Resolver = (name: string) => JsonSchema | undefined;

function isObject(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function refName(schema: JsonSchema): string | undefined {
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith(REF_PREFIX)) return schema.$ref.slice(REF_PREFIX.length);
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0])) return refName(allOf[0]);
  return undefined;
}

/** Converts schemas lazily and memoises named ones, so recursive schemas (JSONSchemaProps) terminate. */
export class OpenApiTypes {
  private readonly named = new Map<string, TypeInfo>();

  constructor(private readonly resolve: Resolver) {}

  namedType(name: string): TypeInfo {
    const cached = this.named.get(name);
    if (cached) return cached;
    const schema = this.resolve(name);
    if (!schema || SCALAR_SCHEMAS.has(name)) {
      const t = schema ? scalarType : untypedType;
      this.named.set(name, t);
      return t;
    }
    const t = this.convert(schema, name, ATOMIC_STRUCTS.has(topologyName(name)));
    this.named.set(name, t);
    return t;
  }

  /** `owner` names the schema that declares this value, for looking up upstream tags. */
  convert(schema: JsonSchema, owner: string | undefined, atomicStruct = false): TypeInfo {
    const ref = refName(schema);
    if (ref) return this.namedType(ref);
    if (schema['x-kubernetes-int-or-string'] === true) return scalarType;
    const type = schema.type;
    if (type === 'array') return this.convertList(schema, owner, undefined);
    if (isObject(schema.properties)) return this.convertStruct(schema, owner, atomicStruct || schema['x-kubernetes-map-type'] === 'atomic');
    if (type === 'object' && isObject(schema.additionalProperties)) {
      return this.convertMap(schema.additionalProperties, owner, schema['x-kubernetes-map-type'] === 'atomic');
    }
    if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') return scalarType;
    return untypedType;
  }

  private convertStruct(schema: JsonSchema, owner: string | undefined, atomic: boolean): StructType {
    const properties = schema.properties as Record<string, JsonSchema>;
    const fields = new Map<string, TypeInfo>();
    const preserveUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true;
    return {
      kind: 'struct',
      atomic,
      field: (name) => {
        const known = fields.get(name);
        if (known) return known;
        const property = Object.prototype.hasOwnProperty.call(properties, name) ? properties[name] : undefined;
        if (!isObject(property)) return preserveUnknown ? untypedType : undefined;
        const key = owner ? `${topologyName(owner)}.${name}` : undefined;
        let t: TypeInfo;
        if (property.type === 'array') t = this.convertList(property, owner, key);
        else if (key && ATOMIC_MAPS.has(key) && isObject(property.additionalProperties)) {
          t = this.convertMap(property.additionalProperties, owner, true);
        } else t = this.convert(property, owner);
        fields.set(name, t);
        return t;
      },
    };
  }

  private convertMap(values: JsonSchema, owner: string | undefined, atomic: boolean): MapType {
    let valueType: TypeInfo | undefined;
    return { kind: 'map', atomic, values: () => (valueType ??= this.convert(values, owner)) };
  }

  private convertList(schema: JsonSchema, owner: string | undefined, key: string | undefined): ListTypeInfo {
    const itemsSchema = isObject(schema.items) ? schema.items : {};
    const items = (): TypeInfo => this.convert(itemsSchema, owner);
    const topology = listTopology(schema, key, itemsSchema);
    return listType(topology.type, items, topology.keys ?? [], { ...topology.keyDefaults, ...keyDefaultsFrom(itemsSchema, this.resolve, topology.keys) });
  }
}

function listTopology(schema: JsonSchema, key: string | undefined, items: JsonSchema): ListTopology {
  const declared = schema['x-kubernetes-list-type'];
  if (declared === 'atomic' || declared === 'set') return { type: declared };
  if (declared === 'map') {
    const keys = Array.isArray(schema['x-kubernetes-list-map-keys']) ? (schema['x-kubernetes-list-map-keys'] as string[]) : [];
    return { type: 'map', keys };
  }
  if (key && LIST_TOPOLOGY[key]) return LIST_TOPOLOGY[key];
  const strategy = schema['x-kubernetes-patch-strategy'];
  if (strategy === 'merge' || strategy === 'merge,retainKeys') {
    const mergeKey = schema['x-kubernetes-patch-merge-key'];
    if (typeof mergeKey === 'string') return { type: 'map', keys: [mergeKey] };
    // A merge strategy without a key only makes sense for primitives: a set.
    if (!refName(items) && items.type !== 'object') return { type: 'set' };
  }
  return { type: 'atomic' };
}

/** Defaults declared in the item schema for key fields (CRD schemas may carry them). */
function keyDefaultsFrom(items: JsonSchema, resolve: Resolver, keys: readonly string[] | undefined): Record<string, unknown> {
  if (!keys || keys.length === 0) return {};
  const name = refName(items);
  const schema = name ? resolve(name) : items;
  const properties = schema && isObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const p = properties[k];
    if (p && p.default !== undefined) out[k] = p.default;
  }
  return out;
}

let builtinTypes: OpenApiTypes | undefined;

/**
 * The TypeInfo of a kind: built-in kinds from the generated OpenAPI schemas; custom resources
 * from their CRD's openAPIV3Schema when given, else untyped (every list atomic).
 */
export function typeInfoForKind(apiVersion: string, kind: string, crdSchema?: JsonSchema): TypeInfo {
  if (crdSchema) return withObjectMeta(new OpenApiTypes(() => undefined).convert(crdSchema, undefined));
  const { group, version } = parseApiVersion(apiVersion);
  const store = schemaStore();
  builtinTypes ??= new OpenApiTypes((name) => store.schemas[name]);
  const name = schemaNameForKind(group, version, kind);
  if (name) return builtinTypes.namedType(name);
  return withObjectMeta(untypedType);
}

/** Custom resources still have a typed ObjectMeta (labels are a map, finalizers a set...). */
function withObjectMeta(root: TypeInfo): TypeInfo {
  const store = schemaStore();
  builtinTypes ??= new OpenApiTypes((name) => store.schemas[name]);
  const meta = builtinTypes.namedType('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  const base = root.kind === 'struct' ? root : undefined;
  return {
    kind: 'struct',
    atomic: false,
    field: (name) => (name === 'metadata' ? meta : base ? base.field(name) : untypedType),
  };
}
