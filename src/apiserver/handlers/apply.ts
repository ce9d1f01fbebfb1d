// PATCH with application/apply-patch+yaml: server-side apply. The apply engine (api/apply)
// merges the configuration into the live object and owns managedFields; the registry then
// defaults, validates and stores as for any write. Applying to a missing object creates it.
import { applyConfig, emptyObjectFor } from '../../api/apply/index.js';
import { typeInfoFor } from '../registry/managed-fields.js';
import { badRequest, StatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { decodeBody } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import { checkUnknownFields, parseFieldValidation } from '../registry/field-validation.js';
import type { RequestContext } from './context.js';
import { negotiate, tableOf } from './output.js';
import { checkTypeMeta, writeOptions } from './write.js';

export async function handleApply(ctx: RequestContext, body: Buffer, subresource?: string): Promise<void> {
  const { endpoint, info } = ctx;
  const fieldManager = ctx.query.get('fieldManager');
  if (!fieldManager) {
    throw new StatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
    });
  }
  const forceText = ctx.query.get('force');
  if (forceText !== null && forceText !== 'true' && forceText !== 'false') throw badRequest(`invalid force value ${JSON.stringify(forceText)}`);
  const force = forceText === 'true';
  const config = checkTypeMeta(decodeBody(body, 'application/yaml'), { apiVersion: endpoint.apiVersion, kind: endpoint.info.kind });
  const warnings = checkUnknownFields(config, { group: endpoint.info.group, version: endpoint.info.version, kind: endpoint.info.kind }, parseFieldValidation(ctx.query.get('fieldValidation')), ctx.endpoint.pruneUnknownFields);
  if (warnings.length > 0) ctx.response.setHeader('Warning', warnings.map((text) => `299 - ${JSON.stringify(text)}`));
  const name = config.metadata?.name;
  if (name !== info.name) throw badRequest(`the name of the object (${name ?? ''}) does not match the name on the URL (${info.name})`);
  if (endpoint.info.namespaced && config.metadata?.namespace && config.metadata.namespace !== info.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const typeInfo = typeInfoFor(endpoint.apiVersion, endpoint.info.kind);
  const base = { config, manager: fieldManager, apiVersion: endpoint.apiVersion, force, typeInfo, ...(subresource ? { subresource } : {}) };
  // Apply writes carry the managedFields the engine computed; the registry must not re-record them.
  const options = { ...writeOptions(ctx), tracking: undefined, subresource };
  await endpoint.store.fresh();
  const exists = endpoint.store.cache.get(endpoint.store.key(info.namespace, info.name)) !== undefined;
  let object: KubeObject;
  let code = 200;
  if (!exists && !subresource) {
    const applied = applyConfig({ ...base, live: undefined, now: new Date(), emptyObject: emptyObjectFor(endpoint.apiVersion, endpoint.info.kind, true, typeInfo) });
    object = await endpoint.store.create(info.namespace, endpoint.toStorage(applied.object), options);
    code = 201;
  } else {
    const result = await endpoint.store.update(
      info.namespace,
      info.name,
      (current) => endpoint.toStorage(applyConfig({ ...base, live: endpoint.fromStorage(current), now: new Date() }).object),
      options,
    );
    object = result.object;
  }
  const representation = negotiate(ctx.request.headers.accept, ctx.query);
  const served = endpoint.fromStorage(object);
  sendJson(ctx.response, code, representation.kind === 'table' ? tableOf(endpoint, [served], representation.includeObject) : served);
}
