// Fields nobody owns: identity and bookkeeping the server sets (upstream's stripMeta manager).
import { FieldSet } from './field-set.js';
import { fieldElement as f } from './path.js';
import type { KubeObject } from '../object.js';

export const UNOWNED_FIELDS = FieldSet.of(
  [f('apiVersion')],
  [f('kind')],
  [f('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (name) => [f('metadata'), f(name)],
  ),
);

/** The object as field management sees it: without its managedFields. */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!obj.metadata || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
