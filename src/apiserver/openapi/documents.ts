// The OpenAPI v3 documents, one per index path ("api/v1", "apis/apps/v1", "apis/apps",
// "version"...), as plain objects. Serialising, hashing and caching live in openapi-v3.ts.
import { builtinResources, groupVersions } from '../../api/resources/catalog.js';
import { groupTag, groupVersionIdentifier, groupVersionIndexPath, groupVersionPrefix, groupVersionTag } from './naming.js';
import { resourcePathItems } from './resource-paths.js';
import { referencedSchemaNames, schemaRef, schemaStore, type JsonSchema } from './schema-store.js';
import type { PathItem } from './operations.js';

export const KUBERNETES_VERSION = 'v1.32.0';

export type OpenApiV3Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
  security: Array<Record<string, string[]>>;
};

const JSON_LIKE = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** A single read-only GET path answering with one schema (discovery, version). */
function getOnly(tag: string, description: string, operationId: string, schemaName: string | undefined, types = JSON_LIKE): PathItem {
  const schema = schemaName ? schemaRef(schemaName) : { type: 'object' };
  return {
    get: {
      tags: [tag],
      description,
      operationId,
      responses: {
        '200': { description: 'OK', content: Object.fromEntries(types.map((t) => [t, { schema }])) },
        '401': { description: 'Unauthorized' },
      },
    },
  };
}

/** Wraps paths into a document whose components hold every schema they reach. */
export function documentFor(paths: Record<string, PathItem>): OpenApiV3Document {
  const { schemas } = schemaStore();
  const names = [...referencedSchemaNames(paths, schemas)].sort();
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION },
    paths,
    components: {
      schemas: Object.fromEntries(names.map((name) => [name, schemas[name]!])),
      securitySchemes: {
        BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' },
      },
    },
    security: [{ BearerToken: [] }],
  };
}

function groupVersionDocument(group: string, version: string): OpenApiV3Document {
  const prefix = groupVersionPrefix(group, version);
  const paths: Record<string, PathItem> = {
    [`${prefix}/`]: getOnly(
      groupVersionTag(group, version),
      'get available resources',
      `get${groupVersionIdentifier(group, version)}APIResources`,
      'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList',
    ),
  };
  for (const info of builtinResources) {
    if (info.group === group && info.version === version) Object.assign(paths, resourcePathItems(info));
  }
  const sorted = Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k]!]));
  return documentFor(sorted);
}

function groupDocument(group: string): OpenApiV3Document {
  const id = groupVersionIdentifier(group, ''); // "Apps", "RbacAuthorization"
  return documentFor({
    [`/apis/${group}/`]: getOnly(groupTag(group), 'get information of a group', `get${id}APIGroup`, 'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup'),
  });
}

/** Builders for every document the index lists, keyed by index path; nothing is built yet. */
export function documentBuilders(): Map<string, () => OpenApiV3Document> {
  const builders = new Map<string, () => OpenApiV3Document>();
  builders.set('.well-known/openid-configuration', () =>
    documentFor({
      '/.well-known/openid-configuration': getOnly('WellKnown', 'get service account issuer OpenID configuration, also known as the \'OIDC discovery doc\'', 'getServiceAccountIssuerOpenIDConfiguration', undefined, ['application/json']),
    }),
  );
  builders.set('api', () =>
    documentFor({ '/api/': getOnly('core', 'get available API versions', 'getCoreAPIVersions', 'io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions') }),
  );
  builders.set('apis', () =>
    documentFor({ '/apis/': getOnly('apis', 'get available API versions', 'getAPIVersions', 'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList') }),
  );
  const groups = new Set<string>();
  for (const { group, version } of groupVersions()) {
    if (group !== '' && !groups.has(group)) {
      groups.add(group);
      builders.set(`apis/${group}`, () => groupDocument(group));
    }
    builders.set(groupVersionIndexPath(group, version), () => groupVersionDocument(group, version));
  }
  builders.set('logs', () =>
    documentFor({ '/logs/': { get: { tags: ['logs'], operationId: 'logFileListHandler', responses: { '401': { description: 'Unauthorized' } } } } }),
  );
  builders.set('openid/v1/jwks', () =>
    documentFor({ '/openid/v1/jwks/': getOnly('openid', 'get service account issuer OpenID JSON Web Key Set (contains public token verification keys)', 'getServiceAccountIssuerOpenIDKeyset', undefined, ['application/jwk-set+json']) }),
  );
  builders.set('version', () =>
    documentFor({ '/version/': getOnly('version', 'get the version information for this server', 'getCodeVersion', 'io.k8s.apimachinery.pkg.version.Info', ['application/json']) }),
  );
  return builders;
}
