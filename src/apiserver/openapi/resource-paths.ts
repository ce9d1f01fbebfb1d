// The path items upstream registers for one resource: collection, item, watch and
// subresource paths, each with the operations its verbs allow.
import type { ResourceInfo, SubresourceInfo } from '../../api/resources/types.js';
import { capitalize, groupVersionIdentifier, groupVersionPrefix, groupVersionTag } from './naming.js';
import {
  DELETE_OPTIONS_SCHEMA,
  STATUS_SCHEMA,
  objectRequestBody,
  operation,
  patchRequestBody,
  responses,
  textResponses,
  watchResponses,
  type Gvk,
  type PathItem,
} from './operations.js';
import {
  deleteCollectionParams,
  deleteParams,
  listParams,
  nameParam,
  namespaceParam,
  pathParam,
  patchParams,
  prettyParam,
  writeParams,
  type ParameterObject,
} from './parameters.js';
import { schemaNameForKind } from './schema-store.js';

/** Subresources served as raw streams or proxies rather than API objects. */
const CONNECT_SUBRESOURCES = new Set(['attach', 'exec', 'portforward', 'proxy']);

const CONNECT_METHODS: ReadonlyArray<readonly [string, string]> = [
  ['get', 'Get'],
  ['create', 'Post'],
  ['update', 'Put'],
  ['patch', 'Patch'],
  ['delete', 'Delete'],
];

interface Names {
  /** "AppsV1" */
  gv: string;
  tag: string;
  /** "NamespacedDeployment" or "ClusterRole" */
  scoped: string;
  gvk: Gvk;
  kindSchema: string | undefined;
}

function pathItem(parameters: ParameterObject[]): PathItem {
  return { parameters };
}

function collectionAndItem(info: ResourceInfo, n: Names, collectionPath: string, itemPath: string, scopeParams: ParameterObject[]): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  const has = (verb: string): boolean => info.verbs.includes(verb as never);
  const listSchema = schemaNameForKind(info.group, info.version, `${info.kind}List`);
  const collection = pathItem([...scopeParams, prettyParam]);
  const what = info.kind;
  if (has('list')) {
    collection.get = operation({
      tag: n.tag, description: `list or watch objects of kind ${what}`, operationId: `list${n.gv}${n.scoped}`,
      action: 'list', gvk: n.gvk, parameters: listParams, responses: responses([200], listSchema, true),
    });
  }
  if (has('create')) {
    collection.post = operation({
      tag: n.tag, description: `create a ${what}`, operationId: `create${n.gv}${n.scoped}`, action: 'post', gvk: n.gvk,
      parameters: writeParams, requestBody: objectRequestBody(n.kindSchema), responses: responses([200, 201, 202], n.kindSchema),
    });
  }
  if (has('deletecollection')) {
    collection.delete = operation({
      tag: n.tag, description: `delete collection of ${what}`, operationId: `delete${n.gv}Collection${n.scoped}`,
      action: 'deletecollection', gvk: n.gvk, parameters: deleteCollectionParams,
      requestBody: objectRequestBody(DELETE_OPTIONS_SCHEMA, false), responses: responses([200], STATUS_SCHEMA),
    });
  }
  if (collection.get || collection.post || collection.delete) paths[collectionPath] = collection;

  const item = pathItem([nameParam, ...scopeParams, prettyParam]);
  if (has('get')) {
    item.get = operation({
      tag: n.tag, description: `read the specified ${what}`, operationId: `read${n.gv}${n.scoped}`, action: 'get', gvk: n.gvk,
      responses: responses([200], n.kindSchema),
    });
  }
  if (has('update')) {
    item.put = operation({
      tag: n.tag, description: `replace the specified ${what}`, operationId: `replace${n.gv}${n.scoped}`, action: 'put', gvk: n.gvk,
      parameters: writeParams, requestBody: objectRequestBody(n.kindSchema), responses: responses([200, 201], n.kindSchema),
    });
  }
  if (has('delete')) {
    item.delete = operation({
      tag: n.tag, description: `delete a ${what}`, operationId: `delete${n.gv}${n.scoped}`, action: 'delete', gvk: n.gvk,
      parameters: deleteParams, requestBody: objectRequestBody(DELETE_OPTIONS_SCHEMA, false),
      responses: responses([200, 202], n.kindSchema),
    });
  }
  if (has('patch')) {
    item.patch = operation({
      tag: n.tag, description: `partially update the specified ${what}`, operationId: `patch${n.gv}${n.scoped}`, action: 'patch',
      gvk: n.gvk, parameters: patchParams, requestBody: patchRequestBody(), responses: responses([200, 201], n.kindSchema),
    });
  }
  if (item.get || item.put || item.delete || item.patch) paths[itemPath] = item;
  return paths;
}

function watchPaths(info: ResourceInfo, n: Names, prefix: string, scopeSegment: string, scopeParams: ParameterObject[]): Record<string, PathItem> {
  if (!info.verbs.includes('watch')) return {};
  const base = `${prefix}/watch${scopeSegment}/${info.resource}`;
  const params = [...listParams];
  return {
    [base]: {
      parameters: [...params, ...scopeParams, prettyParam],
      get: operation({
        tag: n.tag, description: `watch individual changes to a list of ${info.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
        operationId: `watch${n.gv}${n.scoped}List`, action: 'watchlist', gvk: n.gvk, responses: watchResponses(),
      }),
    },
    [`${base}/{name}`]: {
      parameters: [...params, nameParam, ...scopeParams, prettyParam],
      get: operation({
        tag: n.tag, description: `watch changes to an object of kind ${info.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
        operationId: `watch${n.gv}${n.scoped}`, action: 'watch', gvk: n.gvk, responses: watchResponses(),
      }),
    },
  };
}

function subresourcePaths(info: ResourceInfo, sub: SubresourceInfo, n: Names, itemPath: string, scopeParams: ParameterObject[]): Record<string, PathItem> {
  const suffix = capitalize(sub.name);
  const opName = `${n.gv}${n.scoped}${suffix}`;
  const subGvk: Gvk = { group: sub.group, version: sub.version, kind: sub.kind };
  const path = `${itemPath}/${sub.name}`;
  const itemParams = [nameParam, ...scopeParams];
  if (CONNECT_SUBRESOURCES.has(sub.name)) {
    const connect = (withPath: boolean): PathItem => {
      const item: PathItem = { parameters: withPath ? [nameParam, ...scopeParams, pathParam] : [...itemParams] };
      for (const [verb, method] of CONNECT_METHODS) {
        if (!sub.verbs.includes(verb as never)) continue;
        item[verb === 'create' ? 'post' : verb === 'update' ? 'put' : verb] = operation({
          tag: n.tag, description: `connect ${method.toUpperCase()} requests to ${sub.name} of ${info.kind}`,
          operationId: `connect${n.gv}${method}${n.scoped}${suffix}${withPath ? 'WithPath' : ''}`, action: 'connect', gvk: subGvk,
          responses: textResponses(),
        });
      }
      return item;
    };
    const paths: Record<string, PathItem> = { [path]: connect(false) };
    if (sub.name === 'proxy') paths[`${path}/{path}`] = connect(true);
    return paths;
  }
  const subSchema = schemaNameForKind(sub.group, sub.version, sub.kind);
  const item: PathItem = { parameters: [...itemParams, prettyParam] };
  const has = (verb: string): boolean => sub.verbs.includes(verb as never);
  if (sub.name === 'log') {
    item.get = operation({ tag: n.tag, description: `read log of the specified ${info.kind}`, operationId: `read${opName}`, action: 'get', gvk: subGvk, responses: textResponses() });
    return { [path]: item };
  }
  if (has('get')) {
    item.get = operation({ tag: n.tag, description: `read ${sub.name} of the specified ${info.kind}`, operationId: `read${opName}`, action: 'get', gvk: subGvk, responses: responses([200], subSchema) });
  }
  if (has('create')) {
    item.post = operation({
      tag: n.tag, description: `create ${sub.name} of a ${info.kind}`, operationId: `create${opName}`, action: 'post', gvk: subGvk,
      parameters: writeParams, requestBody: objectRequestBody(subSchema), responses: responses([200, 201, 202], subSchema),
    });
  }
  if (has('update')) {
    item.put = operation({
      tag: n.tag, description: `replace ${sub.name} of the specified ${info.kind}`, operationId: `replace${opName}`, action: 'put', gvk: subGvk,
      parameters: writeParams, requestBody: objectRequestBody(subSchema), responses: responses([200, 201], subSchema),
    });
  }
  if (has('patch')) {
    item.patch = operation({
      tag: n.tag, description: `partially update ${sub.name} of the specified ${info.kind}`, operationId: `patch${opName}`, action: 'patch',
      gvk: subGvk, parameters: patchParams, requestBody: patchRequestBody(), responses: responses([200, 201], subSchema),
    });
  }
  return { [path]: item };
}

/** Every path item of one resource, keyed by its path template. */
export function resourcePathItems(info: ResourceInfo): Record<string, PathItem> {
  const prefix = groupVersionPrefix(info.group, info.version);
  const n: Names = {
    gv: groupVersionIdentifier(info.group, info.version),
    tag: groupVersionTag(info.group, info.version),
    scoped: (info.namespaced ? 'Namespaced' : '') + info.kind,
    gvk: { group: info.group, version: info.version, kind: info.kind },
    kindSchema: schemaNameForKind(info.group, info.version, info.kind),
  };
  const scopeSegment = info.namespaced ? '/namespaces/{namespace}' : '';
  const scopeParams = info.namespaced ? [namespaceParam] : [];
  const collectionPath = `${prefix}${scopeSegment}/${info.resource}`;
  const itemPath = `${collectionPath}/{name}`;
  const paths: Record<string, PathItem> = {
    ...collectionAndItem(info, n, collectionPath, itemPath, scopeParams),
    ...watchPaths(info, n, prefix, scopeSegment, scopeParams),
  };
  if (info.namespaced && info.verbs.includes('list')) {
    const listSchema = schemaNameForKind(info.group, info.version, `${info.kind}List`);
    paths[`${prefix}/${info.resource}`] = {
      parameters: [...listParams, prettyParam],
      get: operation({
        tag: n.tag, description: `list or watch objects of kind ${info.kind}`, operationId: `list${n.gv}${info.kind}ForAllNamespaces`,
        action: 'list', gvk: n.gvk, responses: responses([200], listSchema, true),
      }),
    };
    if (info.verbs.includes('watch')) {
      paths[`${prefix}/watch/${info.resource}`] = {
        parameters: [...listParams, prettyParam],
        get: operation({
          tag: n.tag, description: `watch individual changes to a list of ${info.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
          operationId: `watch${n.gv}${info.kind}ListForAllNamespaces`, action: 'watchlist', gvk: n.gvk, responses: watchResponses(),
        }),
      };
    }
  }
  for (const sub of info.subresources) Object.assign(paths, subresourcePaths(info, sub, n, itemPath, scopeParams));
  return paths;
}
