// managedFields bookkeeping for ordinary writes: who changed which fields, as upstream records
// them (operation Update, per manager, API version and subresource). Apply writes compute their
// managedFields in the apply engine instead.
import { emptyObjectFor, recordUpdate, typeInfoForKind, type TypeInfo } from '../../api/apply/index.js';
import { apiVersionOf, type KubeObject } from '../../api/object.js';

export interface FieldTracking {
  /** The field manager ("kubectl-client-side-apply", "kube-controller-manager", …). */
  manager: string;
  /** The group/version the request was made in. */
  apiVersion: string;
}

const typeInfos = new Map<string, TypeInfo>();

/** The apply engine's type description of a kind, built once per kind from the OpenAPI schemas. */
export function typeInfoFor(apiVersion: string, kind: string): TypeInfo {
  const key = `${apiVersion}/${kind}`;
  let info = typeInfos.get(key);
  if (!info) {
    info = typeInfoForKind(apiVersion, kind);
    typeInfos.set(key, info);
  }
  return info;
}

/** Sets obj.metadata.managedFields for a create (old undefined) or an update of `old`. */
export function trackUpdate(obj: KubeObject, old: KubeObject | undefined, tracking: FieldTracking, storage: { group: string; version: string; kind: string }, subresource?: string): void {
  const apiVersion = apiVersionOf(storage.group, storage.version);
  const typeInfo = typeInfoFor(apiVersion, storage.kind);
  const managed = recordUpdate({
    old,
    updated: obj,
    manager: tracking.manager,
    operation: 'Update',
    apiVersion: tracking.apiVersion,
    now: new Date(),
    typeInfo,
    ...(subresource ? { subresource } : {}),
    ...(old ? {} : { emptyObject: emptyObjectFor(apiVersion, storage.kind, true, typeInfo) }),
  });
  if (managed && managed.length > 0) obj.metadata!.managedFields = managed as never;
  else delete obj.metadata!.managedFields;
}
