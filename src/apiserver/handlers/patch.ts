// Chooses the patch algorithm from the request's Content-Type, as upstream does.
import { badRequest, StatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, patchSchemaFor } from '../../api/patch/index.js';
import { decodeBody } from '../http/body.js';

export const applyPatchType = 'application/apply-patch+yaml';
export const patchContentTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

export function applyPatch(contentType: string, current: KubeObject, body: Buffer, target: { group: string; kind: string }): unknown {
  switch (contentType) {
    case 'application/json-patch+json':
      return applyJsonPatch(current, decodeBody(body, 'application/json'));
    case 'application/merge-patch+json':
      return applyMergePatch(current, decodeBody(body, 'application/json'));
    case 'application/strategic-merge-patch+json': {
      const schema = patchSchemaFor(target.group, target.kind);
      if (!schema) {
        throw new StatusError(415, 'UnsupportedMediaType', `strategic merge patch is not supported for ${target.kind}${target.group ? '.' + target.group : ''} locally, try --type merge`);
      }
      return applyStrategicMergePatch(current, decodeBody(body, 'application/json'), schema);
    }
    case '':
      throw badRequest('the body of the request was empty or had no Content-Type');
    default:
      throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${patchContentTypes.join(', ')}`);
  }
}
