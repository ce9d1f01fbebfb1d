// The server's half of moving an object from client-side to server-side apply (kubectl's half,
// client-go's csaupgrade, rewrites managedFields with a JSON patch the server just stores).
// For the manager "kubectl" only, like upstream:
//  - conflicts are forgiven on fields the last-applied-configuration annotation holds with the
//    live value: they were the user's own client-side apply, so the apply is retried with force;
//  - after a successful apply, an existing annotation is rewritten to the applied config, so a
//    later client-side apply still computes the right deletions.
import { isJsonObject, type KubeObject } from '../object.js';
import { compareObjects } from './compare.js';
import type { FieldSet } from './field-set.js';
import { fieldSetOf } from './field-set-of.js';
import { withoutManagedFields } from './strip.js';
import type { TypeInfo } from './type-info.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Upstream's limit on the total size of an object's annotations. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Paths an apply by kubectl may take over without force, or undefined when nothing is forgiven. */
export function allowedConflictsFromLastApplied(live: KubeObject | undefined, apiVersion: string, type: TypeInfo): FieldSet | undefined {
  const text = live?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(lastApplied) || lastApplied.apiVersion !== apiVersion) return undefined;
  try {
    const lastSet = fieldSetOf(lastApplied, type);
    const c = compareObjects(lastApplied, withoutManagedFields(live!), type);
    // Fields whose live value moved away from the annotation are no longer the user's.
    return lastSet.difference(c.modified).difference(c.added).difference(c.removed);
  } catch {
    return undefined;
  }
}

/** Rewrites an existing last-applied annotation of `object` (in place) to the applied config. */
export function syncLastApplied(object: KubeObject, config: KubeObject): void {
  const annotations = object.metadata?.annotations;
  if (!annotations || !(LAST_APPLIED_ANNOTATION in annotations)) return;
  const copy = structuredClone(config);
  if (copy.metadata?.annotations) delete copy.metadata.annotations[LAST_APPLIED_ANNOTATION];
  annotations[LAST_APPLIED_ANNOTATION] = `${goJson(copy)}\n`;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION];
}

/** JSON as Go's encoder writes an unstructured object: keys sorted, HTML characters escaped. */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson(value[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value ?? null);
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
