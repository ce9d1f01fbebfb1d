// POST, PUT, PATCH and DELETE on a resource: decode, check the body against the URL, convert to
// the storage version, hand to the registry, convert back.
import { badRequest, StatusError } from '../../api/errors.js';
import { deepCopy, isJsonObject, type KubeObject } from '../../api/object.js';
import { decodeBody, decodeText, mediaType, readBody } from '../http/body.js';
import { isKubernetesProtobuf } from '../../api/protobuf/index.js';
import { sendJson } from '../http/respond.js';
import { checkUnknownFields, parseFieldValidation } from '../registry/field-validation.js';
import type { DeleteOptions, WriteOptions } from '../registry/resource-store.js';
import { defaultGarbageCollectionPolicy } from '../registry/gc-finalizers.js';
import { fieldManagerFor } from '../../api/apply/index.js';
import { dryRunOf, queryInt, type Endpoint, type RequestContext } from './context.js';
import { filterFromQuery } from './filter.js';
import { listJson, negotiate, tableOf } from './output.js';
import { handleApply } from './apply.js';
import { applyPatch, applyPatchType } from './patch.js';

/** Reads the body as one object of the endpoint's kind and version. */
export async function readObject(ctx: RequestContext, expected: { apiVersion: string; kind: string } = { apiVersion: ctx.endpoint.apiVersion, kind: ctx.endpoint.info.kind }): Promise<KubeObject> {
  const contentType = ctx.request.headers['content-type'];
  const body = await readBody(ctx.request);
  if (isKubernetesProtobuf(contentType)) return checkTypeMeta(decodeBody(body, contentType), expected);
  // One conversion to text serves both the decoder and the plain-body check.
  const text = body.toString('utf8');
  const obj = checkTypeMeta(decodeText(text, contentType), expected);
  if (isPlainJsonBody(text, contentType)) plainBodies.add(obj);
  return obj;
}

/** Objects readObject decoded from plain JSON bodies (see isPlainJsonBody). */
const plainBodies = new WeakSet<KubeObject>();

/**
 * JSON.parse builds a tree that nothing else refers to. YAML aliases can put one subtree in two
 * places. A "__proto__" key (possibly written with \u escapes) is an own member after JSON.parse
 * but becomes a prototype when copied, so the stored object would differ without the copy.
 */
function isPlainJsonBody(text: string, contentType: string | undefined): boolean {
  return !mediaType(contentType).includes('yaml') && !text.includes('__proto__') && !text.includes('\\u');
}

/**
 * Whether `obj`, from readObject, belongs to this request alone, so the registry may store it
 * without copying: a plain JSON body, and the identity conversion (others may share subtrees).
 */
function bodyIsPrivate(ctx: RequestContext, obj: KubeObject): boolean {
  return ctx.endpoint.identity && plainBodies.has(obj);
}

export function checkTypeMeta(decoded: unknown, expected: { apiVersion: string; kind: string }): KubeObject {
  if (!isJsonObject(decoded)) throw badRequest(`the body of the request was not a JSON object`);
  const obj = decoded as KubeObject;
  if (obj.kind === undefined || obj.kind === '') obj.kind = expected.kind;
  if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = expected.apiVersion;
  if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(decoded).slice(0, 200)}'`);
  if (obj.apiVersion !== expected.apiVersion) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected.apiVersion})`);
  }
  if (obj.kind !== expected.kind) throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${expected.kind})`);
  if (obj.metadata !== undefined && !isJsonObject(obj.metadata)) throw badRequest('metadata must be an object');
  return obj;
}

function checkNamespace(ctx: RequestContext, obj: KubeObject): void {
  const sent = obj.metadata?.namespace;
  if (ctx.endpoint.info.namespaced) {
    if (sent && sent !== ctx.info.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function respondObject(ctx: RequestContext, code: number, object: KubeObject): void {
  const representation = negotiate(ctx.request.headers.accept, ctx.query);
  if (representation.kind === 'table') return sendJson(ctx.response, code, tableOf(ctx.endpoint, [object], representation.includeObject));
  // The object just stored is usually the watch cache's own copy, whose JSON is already built.
  const meta = object.metadata;
  const cached = meta?.name ? ctx.endpoint.store.cache.get(ctx.endpoint.store.key(meta.namespace ?? '', meta.name)) : undefined;
  sendJson(ctx.response, code, cached && cached.object === object ? cached.json : object);
}

export function writeOptions(ctx: RequestContext): WriteOptions {
  const fieldManager = ctx.query.get('fieldManager') ?? undefined;
  if (fieldManager !== undefined && fieldManager.length > 128) {
    throw new StatusError(422, 'Invalid', `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes`);
  }
  parseFieldValidation(ctx.query.get('fieldValidation'));
  const manager = fieldManagerFor(fieldManager, ctx.request.headers['user-agent']);
  return { dryRun: dryRunOf(ctx.query), fieldManager, tracking: { manager, apiVersion: ctx.endpoint.apiVersion } };
}

/** Drops fields the kind does not declare; per fieldValidation fails (Strict) or warns (Warn). */
function checkFields(ctx: RequestContext, obj: KubeObject): void {
  const { group, version, kind } = ctx.endpoint.info;
  const warnings = checkUnknownFields(obj, { group, version, kind }, parseFieldValidation(ctx.query.get('fieldValidation')), ctx.endpoint.pruneUnknownFields);
  if (warnings.length > 0 && !ctx.response.headersSent) {
    ctx.response.setHeader('Warning', warnings.map((text) => `299 - ${JSON.stringify(text)}`));
  }
}

export async function handleCreate(ctx: RequestContext): Promise<void> {
  const { endpoint, info } = ctx;
  const obj = await readObject(ctx);
  checkNamespace(ctx, obj);
  checkFields(ctx, obj);
  if (endpoint.info.group === 'certificates.k8s.io' && endpoint.info.kind === 'CertificateSigningRequest') recordRequester(obj, ctx.user);
  const created = await endpoint.store.create(info.namespace, endpoint.toStorage(obj), { ...writeOptions(ctx), inputOwned: bodyIsPrivate(ctx, obj) });
  respondObject(ctx, 201, endpoint.fromStorage(created));
}

export async function handleUpdate(ctx: RequestContext, subresource?: string): Promise<void> {
  const { endpoint, info } = ctx;
  const obj = await readObject(ctx);
  checkNamespace(ctx, obj);
  checkFields(ctx, obj);
  const bodyName = obj.metadata?.name;
  if (!bodyName) throw badRequest('name is required');
  if (bodyName !== info.name) throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${info.name})`);
  const result = await endpoint.store.update(info.namespace, info.name, endpoint.toStorage(obj), {
    ...writeOptions(ctx),
    subresource,
    allowCreate: allowsCreateOnUpdate(endpoint),
    inputOwned: bodyIsPrivate(ctx, obj),
  });
  respondObject(ctx, result.created ? 201 : 200, endpoint.fromStorage(result.object));
}

/** A CSR names who asked for it; the server fills that in from the request, whatever the body said. */
function recordRequester(csr: KubeObject, user: RequestContext['user']): void {
  const spec = (isJsonObject(csr.spec) ? csr.spec : {}) as Record<string, unknown>;
  spec.username = user.username;
  if (user.uid) spec.uid = user.uid;
  else delete spec.uid;
  spec.groups = [...user.groups];
  // A copy: the object may be stored as it is, and the user's extra lives on with its connection.
  if (user.extra && Object.keys(user.extra).length > 0) spec.extra = deepCopy(user.extra);
  else delete spec.extra;
  csr.spec = spec;
}

/** Upstream's AllowCreateOnUpdate: true only for a few kinds. */
function allowsCreateOnUpdate(endpoint: Endpoint): boolean {
  const key = `${endpoint.info.group}/${endpoint.info.resource}`;
  return ['/endpoints', 'coordination.k8s.io/leases', '/events', 'events.k8s.io/events', '/nodes', 'rbac.authorization.k8s.io/roles', 'rbac.authorization.k8s.io/clusterroles'].includes(key);
}

export async function handlePatch(ctx: RequestContext, subresource?: string): Promise<void> {
  const { endpoint, info } = ctx;
  const type = mediaType(ctx.request.headers['content-type']);
  const body = await readBody(ctx.request);
  if (type === applyPatchType) return handleApply(ctx, body, subresource);
  if (ctx.query.has('force')) throw new StatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  const result = await endpoint.store.update(
    info.namespace,
    info.name,
    (current) => {
      const servedObject = endpoint.fromStorage(current);
      const patched = applyPatch(type, servedObject, body, { group: endpoint.info.group, kind: endpoint.info.kind });
      const checked = checkTypeMeta(patched, { apiVersion: endpoint.apiVersion, kind: endpoint.info.kind });
      checkFields(ctx, checked);
      if (checked.metadata?.name !== info.name) throw badRequest(`the name of the object (${checked.metadata?.name}) does not match the name on the URL (${info.name})`);
      return endpoint.toStorage(checked);
    },
    { ...writeOptions(ctx), subresource },
  );
  respondObject(ctx, 200, endpoint.fromStorage(result.object));
}

async function deleteOptionsOf(ctx: RequestContext): Promise<DeleteOptions> {
  const body = await readBody(ctx.request);
  let fromBody: Record<string, unknown> = {};
  if (body.length > 0 && body.toString('utf8').trim() !== '') {
    const decoded = decodeBody(body, ctx.request.headers['content-type']);
    if (!isJsonObject(decoded)) throw badRequest('DeleteOptions must be an object');
    fromBody = decoded;
  }
  const grace = queryInt(ctx.query, 'gracePeriodSeconds') ?? (typeof fromBody.gracePeriodSeconds === 'number' ? fromBody.gracePeriodSeconds : undefined);
  let policy = (ctx.query.get('propagationPolicy') ?? fromBody.propagationPolicy) as DeleteOptions['propagationPolicy'] | undefined;
  const orphan = ctx.query.get('orphanDependents') ?? fromBody.orphanDependents;
  if (orphan !== undefined && orphan !== null && policy) throw badRequest('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' + policy + '": orphanDependents and deletionPropagation cannot be both set');
  if (orphan === true || orphan === 'true') policy = 'Orphan';
  // orphanDependents=false asks for neither orphaning nor foreground: background (upstream's meaning).
  if (orphan === false || orphan === 'false') policy = 'Background';
  if (policy && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw new StatusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  if (grace !== undefined && grace < 0) throw new StatusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: gracePeriodSeconds: Invalid value: ${grace}: must be greater than or equal to 0`);
  const dryRun = dryRunOf(ctx.query) || (Array.isArray(fromBody.dryRun) && fromBody.dryRun.includes('All'));
  const preconditions = isJsonObject(fromBody.preconditions) ? (fromBody.preconditions as DeleteOptions['preconditions']) : undefined;
  const defaultGcPolicy = defaultGarbageCollectionPolicy(ctx.endpoint.apiVersion, ctx.endpoint.info.kind);
  return { dryRun, gracePeriodSeconds: grace, propagationPolicy: policy, defaultGcPolicy, preconditions };
}

export async function handleDelete(ctx: RequestContext): Promise<void> {
  const { endpoint, info } = ctx;
  const options = await deleteOptionsOf(ctx);
  const result = await endpoint.store.delete(info.namespace, info.name, options);
  const code = !result.deleted && options.propagationPolicy === 'Foreground' ? 202 : 200;
  respondObject(ctx, code, endpoint.fromStorage(result.object));
}

export async function handleDeleteCollection(ctx: RequestContext): Promise<void> {
  const { endpoint, info } = ctx;
  const options = await deleteOptionsOf(ctx);
  const filter = filterFromQuery(ctx.query, endpoint.info.group, endpoint.info.kind);
  await endpoint.store.fresh();
  const targets = endpoint.store.cache.list(endpoint.store.prefix(info.namespace)).filter((item) => filter.matches(item.object));
  const deleted = [];
  for (const target of targets) {
    try {
      const meta = target.object.metadata!;
      const result = await endpoint.store.delete(meta.namespace ?? '', meta.name!, options);
      deleted.push(result.object);
    } catch (error) {
      if (error instanceof StatusError && error.code === 404) continue;
      throw error;
    }
  }
  const revision = String(endpoint.store.cache.currentRevision());
  sendJson(ctx.response, 200, listJson(endpoint, deleted.map((object) => ({ key: '', object, json: JSON.stringify(endpoint.fromStorage(object)), revision: 0 })), { resourceVersion: revision }));
}
