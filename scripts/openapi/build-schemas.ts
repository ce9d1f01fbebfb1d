// Builds every component schema from the kubernetes-models declaration files.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { upstreamSchemaName } from './schema-names.js';
import { propertyHints, type PropertyHint } from './validator-hints.js';
import { readDeclaration, jsDocText, typeToSchema, type DeclarationFile, type JsonSchema } from './dts-to-schema.js';

const REF_PREFIX = '#/components/schemas/';

// kubernetes-models keeps TypeMeta's descriptions off fields whose value it fixes to a literal,
// so top-level kinds would explain apiVersion/kind without text; these restore a description.
const API_VERSION_DOC =
  'APIVersion is the versioned schema of this representation of an object. Servers convert recognized schemas to the latest internal value and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value naming the REST resource this object represents. Servers may infer it from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
// The package ships Quantity without its description.
const QUANTITY_DOC =
  'Quantity is a fixed-point representation of a number, serialized as a string such as "100m", "1.5Gi" or "2" (a bare number is accepted too). It carries a decimal or binary SI suffix, or a decimal exponent: <digits>[.<digits>][Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|e<exponent>].';

export interface SchemaSource {
  /** Folder holding the per-group declaration folders (or the apimachinery folders). */
  root: string;
  /** The package's compiled validators, named after kubernetes-models' type names. */
  validators: string;
}

/** Where kubernetes-models and its apimachinery companion keep their declarations. */
export function defaultSources(nodeModules: string): SchemaSource[] {
  const models = join(nodeModules, 'kubernetes-models');
  const machinery = join(nodeModules, '@kubernetes-models', 'apimachinery');
  return [
    { root: models, validators: join(models, '_schemas') },
    { root: machinery, validators: join(machinery, '_schemas') },
  ];
}

function declarationFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== '_schemas' && entry.name !== 'node_modules') declarationFiles(join(dir, entry.name), out);
    } else if (entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts') {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

/** Schemas whose wire form is not what the declaration says (scalars, free-form values). */
function specialSchema(name: string, description: string | undefined): JsonSchema | undefined {
  const withDoc = (schema: JsonSchema): JsonSchema => (description ? { description, ...schema } : schema);
  switch (name) {
    case 'io.k8s.apimachinery.pkg.util.intstr.IntOrString':
      // No "type": kubectl explain then names the field <IntOrString>, as upstream.
      return withDoc({ format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true });
    case 'io.k8s.apimachinery.pkg.api.resource.Quantity':
      return { description: QUANTITY_DOC, oneOf: [{ type: 'string' }, { type: 'number' }] };
    case 'io.k8s.apimachinery.pkg.apis.meta.v1.Time':
    case 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime':
      return withDoc({ type: 'string', format: 'date-time' });
    case 'io.k8s.apimachinery.pkg.runtime.RawExtension':
    case 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1':
      return withDoc({ type: 'object' });
  }
  return undefined;
}

function propertyName(member: ts.PropertySignature): string | undefined {
  const n = member.name;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n)) return n.text;
  return undefined;
}

function literalText(node: ts.TypeNode | undefined): string | undefined {
  return node && ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal) ? node.literal.text : undefined;
}

function interfaceSchema(
  decl: DeclarationFile & { node: ts.InterfaceDeclaration },
  hints: Map<string, PropertyHint>,
  resolveRef: (name: string) => string | undefined,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  let apiVersion: string | undefined;
  let kind: string | undefined;
  const members = decl.node.members.filter(ts.isPropertySignature);
  for (const member of members) {
    const name = propertyName(member);
    if (name === undefined || !member.type) continue;
    const description = jsDocText(member);
    const literal = literalText(member.type);
    if ((name === 'apiVersion' || name === 'kind') && literal !== undefined) {
      if (name === 'apiVersion') apiVersion = literal;
      else kind = literal;
      properties[name] = { description: description ?? (name === 'kind' ? KIND_DOC : API_VERSION_DOC), type: 'string' };
      continue;
    }
    let schema = typeToSchema(member.type, { resolveRef }, hints.get(name));
    if (description !== undefined) {
      // OpenAPI 3.0 ignores siblings of $ref, so a described reference goes through allOf.
      schema = '$ref' in schema ? { allOf: [schema], description } : { description, ...schema };
    }
    properties[name] = schema;
    if (!member.questionToken) required.push(name);
  }
  const sorted = Object.fromEntries(Object.keys(properties).sort().map((k) => [k, properties[k]!]));
  const schema: JsonSchema = {};
  const description = jsDocText(decl.node);
  if (description) schema.description = description;
  // apiextensions' JSON and JSONSchemaPropsOr* hold any JSON value; other empty structs are objects.
  if (members.length === 0 && /(?:JSON|JSONSchemaPropsOr\w+)$/.test(decl.modelsName)) return schema;
  schema.type = 'object';
  if (members.length > 0) schema.properties = sorted;
  if (required.length > 0) schema.required = required.sort();
  if (apiVersion !== undefined && kind !== undefined) {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    schema['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
  }
  return schema;
}

/** Every component schema, keyed by upstream name and sorted by it. */
export function buildSchemas(sources: readonly SchemaSource[]): Record<string, JsonSchema> {
  const declarations: Array<{ decl: DeclarationFile; validators: string }> = [];
  const known = new Map<string, string>(); // kubernetes-models name -> upstream name
  for (const source of sources) {
    for (const file of declarationFiles(source.root)) {
      const decl = readDeclaration(file, readFileSync(file, 'utf8'));
      if (!decl) continue;
      const upstream = upstreamSchemaName(decl.modelsName);
      if (!upstream) continue;
      known.set(decl.modelsName, upstream);
      declarations.push({ decl, validators: source.validators });
    }
  }
  const schemas: Record<string, JsonSchema> = {};
  for (const { decl, validators } of declarations) {
    const name = known.get(decl.modelsName)!;
    const resolveRef = (typeName: string): string | undefined => {
      const modelsName = decl.localNames.get(typeName) ?? (typeName.startsWith('IIoK8s') ? typeName.slice(1) : undefined);
      return modelsName ? known.get(modelsName) : undefined;
    };
    const special = specialSchema(name, jsDocText(decl.node));
    if (special) {
      schemas[name] = special;
    } else if (ts.isInterfaceDeclaration(decl.node)) {
      const validatorFile = join(validators, `${decl.modelsName}.js`);
      const hints = existsSync(validatorFile) ? propertyHints(readFileSync(validatorFile, 'utf8')) : new Map();
      schemas[name] = interfaceSchema({ ...decl, node: decl.node }, hints, resolveRef);
    } else {
      schemas[name] = { description: jsDocText(decl.node), ...typeToSchema(decl.node.type, { resolveRef }) };
    }
  }
  return Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]!]));
}

export function refName(ref: string): string | undefined {
  return ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : undefined;
}

