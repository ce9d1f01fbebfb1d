// Dropping metadata.managedFields from what an informer caches, as kube-scheduler's pod informer
// does ("to improve memory usage"): a component that never reads them need not keep them. In
// the server's compact JSON they are about 40 % of a pod's text and two thirds of its objects,
// so a watch event loses them before it is parsed (less to parse, freeze and collect); objects
// that arrive otherwise (lists, text that is not compact) lose them after.
import type { KubeObject } from '../api/object.js';
import { findMember, withoutMember } from '../api/compact-json.js';

/** A watch event line ({"type":…,"object":{…}}) without the object's metadata.managedFields; the line itself when it has none or cannot be read without parsing. */
export function eventLineWithoutManagedFields(line: string): string {
  const object = findMember(line, 0, 'object');
  if (object === undefined) return line;
  const metadata = findMember(line, object.valueStart, 'metadata');
  if (metadata === undefined) return line;
  return withoutMember(line, metadata.valueStart, 'managedFields') ?? line;
}

/** The object without metadata.managedFields: a new metadata (other members in order), the rest shared; the object itself when it has none. */
export function withoutManagedFields<T extends KubeObject>(object: T): T {
  const metadata = object.metadata as Record<string, unknown> | undefined;
  if (metadata === undefined || !('managedFields' in metadata)) return object;
  const kept: Record<string, unknown> = {};
  // A copy without the member rather than `delete`, which would leave metadata a slow dictionary object.
  for (const key in metadata) if (key !== 'managedFields') kept[key] = metadata[key];
  return { ...object, metadata: kept };
}
