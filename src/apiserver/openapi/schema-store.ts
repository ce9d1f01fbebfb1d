// The component schemas generated at build time (scripts/gen-openapi.ts), read on first use:
// the file is ~1.5 MB of JSON, so the server pays for it only when a client asks for OpenAPI.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addPatchExtensions } from './patch-extensions.js';

export type JsonSchema = { [key: string]: unknown };

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

export interface SchemaStore {
  schemas: Readonly<Record<string, JsonSchema>>;
  /** Schema name of a top-level kind: "apps/v1/Deployment" -> "io.k8s.api.apps.v1.Deployment". */
  kindSchemas: ReadonlyMap<string, string>;
}

const GENERATED_RELATIVE_PATH = join('dist', 'generated', 'openapi-schemas.json');

/** Where the generated file is: under the repository root, found from this module's location. */
export function generatedSchemasPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, GENERATED_RELATIVE_PATH);
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), GENERATED_RELATIVE_PATH);
    dir = parent;
  }
}

let store: SchemaStore | undefined;
let overridePath: string | undefined;

/** Tests may point the store at another generated file; resets the memoised store. */
export function setSchemasPathForTesting(path: string | undefined): void {
  overridePath = path;
  store = undefined;
}

export function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

export function schemaStore(): SchemaStore {
  if (store) return store;
  const path = overridePath ?? generatedSchemasPath();
  if (!existsSync(path)) {
    throw new Error(`OpenAPI schemas not generated: ${path} is missing (run: node --import tsx scripts/gen-openapi.ts)`);
  }
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { schemas: Record<string, JsonSchema> };
  const kindSchemas = new Map<string, string>();
  for (const [name, schema] of Object.entries(parsed.schemas)) {
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const gvk of gvks as Array<{ group: string; version: string; kind: string }>) {
      kindSchemas.set(gvkKey(gvk.group, gvk.version, gvk.kind), name);
    }
  }
  addPatchExtensions(parsed.schemas, kindSchemas);
  store = { schemas: parsed.schemas, kindSchemas };
  return store;
}

/** Schema name for a kind, when kubernetes-models knows it. */
export function schemaNameForKind(group: string, version: string, kind: string): string | undefined {
  return schemaStore().kindSchemas.get(gvkKey(group, version, kind));
}

export function schemaRef(name: string): { $ref: string } {
  return { $ref: SCHEMA_REF_PREFIX + name };
}

/** Names of every schema reachable from `roots` (a JSON value holding $refs), transitively. */
export function referencedSchemaNames(roots: unknown, schemas: Readonly<Record<string, JsonSchema>>): Set<string> {
  const found = new Set<string>();
  const pending: unknown[] = [roots];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      pending.push(...value);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMA_REF_PREFIX)) {
          const name = child.slice(SCHEMA_REF_PREFIX.length);
          if (!found.has(name) && schemas[name]) {
            found.add(name);
            pending.push(schemas[name]);
          }
        } else {
          pending.push(child);
        }
      }
    }
  }
  return found;
}
