// Turns one kubernetes-models declaration file into an OpenAPI 3.0 component schema,
// using the TypeScript compiler API (parse only: no program, no type checker, so it is fast).
import ts from 'typescript';
import type { PropertyHint } from './validator-hints.js';

export type JsonSchema = { [key: string]: unknown };

export interface DeclarationFile {
  /** kubernetes-models' name of the type, e.g. IoK8sApiAppsV1Deployment. */
  modelsName: string;
  /** The declaration: an interface, or a type alias for the few scalar types. */
  node: ts.InterfaceDeclaration | ts.TypeAliasDeclaration;
  /** Local interface name -> kubernetes-models name, for self references (JSONSchemaProps). */
  localNames: Map<string, string>;
}

/** Finds the exported declaration of a kubernetes-models .d.ts file. */
export function readDeclaration(fileName: string, text: string): DeclarationFile | undefined {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const localNames = new Map<string, string>();
  let local: string | undefined;
  let modelsName: string | undefined;
  for (const statement of source.statements) {
    // export type { IDeployment as IIoK8sApiAppsV1Deployment, Deployment as IoK8sApiAppsV1Deployment };
    if (ts.isExportDeclaration(statement) && statement.isTypeOnly && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        const exported = element.name.text;
        const original = element.propertyName?.text ?? exported;
        if (exported.startsWith('IIoK8s')) {
          local = original;
          modelsName = exported.slice(1);
          localNames.set(original, modelsName);
        }
      }
    }
  }
  if (!local || !modelsName) return undefined;
  for (const statement of source.statements) {
    if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name.text === local) {
      return { modelsName, node: statement, localNames };
    }
  }
  return undefined;
}

/** The JSDoc text attached to a node, or undefined. */
export function jsDocText(node: ts.Node): string | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const last = docs?.[docs.length - 1];
  if (!last) return undefined;
  const comment = typeof last.comment === 'string' ? last.comment : ts.getTextOfJSDocComment(last.comment);
  const trimmed = comment?.trim();
  return trimmed ? trimmed : undefined;
}

export interface ConvertContext {
  /** Resolves a referenced type name (local or imported) to its upstream schema name. */
  resolveRef(typeName: string): string | undefined;
}

const REF_PREFIX = '#/components/schemas/';

function stripUndefined(types: readonly ts.TypeNode[]): ts.TypeNode[] {
  return types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
}

/** Schema of a type node; `hint` carries integer/format facts from the validators. */
export function typeToSchema(node: ts.TypeNode, ctx: ConvertContext, hint?: PropertyHint): JsonSchema {
  if (ts.isParenthesizedTypeNode(node)) return typeToSchema(node.type, ctx, hint);
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return hint?.format ? { type: 'string', format: hint.format } : { type: 'string' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.NumberKeyword: {
      // Kubernetes numbers are integers unless the validator says otherwise (a few doubles).
      const type = hint?.type === 'number' || hint?.format === 'double' ? 'number' : 'integer';
      return hint?.format ? { type, format: hint.format } : { type };
    }
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return {};
    case ts.SyntaxKind.ObjectKeyword:
      return { type: 'object' };
  }
  if (ts.isLiteralTypeNode(node)) {
    if (ts.isStringLiteral(node.literal)) return { type: 'string', enum: [node.literal.text] };
    return {};
  }
  if (ts.isUnionTypeNode(node)) {
    const members = stripUndefined(node.types);
    if (members.length === 1) return typeToSchema(members[0]!, ctx, hint);
    if (members.every((m) => ts.isLiteralTypeNode(m) && ts.isStringLiteral(m.literal))) {
      return { type: 'string', enum: members.map((m) => ((m as ts.LiteralTypeNode).literal as ts.StringLiteral).text) };
    }
    return {};
  }
  if (ts.isArrayTypeNode(node)) return { type: 'array', items: itemSchema(node.elementType, ctx, hint) };
  if (ts.isTypeReferenceNode(node)) {
    const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
    if (name === 'Array' && node.typeArguments?.[0]) return { type: 'array', items: itemSchema(node.typeArguments[0], ctx, hint) };
    if (name === 'Record' && node.typeArguments?.[1]) return { type: 'object', additionalProperties: itemSchema(node.typeArguments[1], ctx, hint) };
    const ref = ctx.resolveRef(name);
    return ref ? { $ref: REF_PREFIX + ref } : {};
  }
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index) return { type: 'object', additionalProperties: itemSchema(index.type, ctx, hint) };
    return { type: 'object' };
  }
  return {};
}

/** Items of arrays and values of maps: same as a property, but the format hint still applies. */
function itemSchema(node: ts.TypeNode, ctx: ConvertContext, hint?: PropertyHint): JsonSchema {
  return typeToSchema(node, ctx, hint);
}
