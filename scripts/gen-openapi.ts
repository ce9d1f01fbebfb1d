// Build step: writes dist/generated/openapi-schemas.json, every built-in component schema
// in OpenAPI 3.0 form under upstream's names, generated from kubernetes-models' declarations.
// Run from the repository root: node --import tsx scripts/gen-openapi.ts [outFile]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchemas, defaultSources } from './openapi/build-schemas.js';

/** The repository root: the nearest folder above this file holding package.json. */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('gen-openapi: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export function generateOpenApiSchemas(outFile?: string): string {
  const root = repositoryRoot();
  const target = resolve(outFile ?? join(root, 'dist', 'generated', 'openapi-schemas.json'));
  const schemas = buildSchemas(defaultSources(join(root, 'node_modules')));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify({ schemas }));
  return target;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const target = generateOpenApiSchemas(process.argv[2]);
  console.log(`gen-openapi: wrote ${target} in ${Date.now() - started} ms`);
}
