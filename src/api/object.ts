// The shape every API object shares. Objects travel through k8ts as plain JSON values;
// kinds are told apart by apiVersion/kind, and per-kind code narrows with kubernetes-types.
import type { ObjectMeta as UpstreamObjectMeta } from 'kubernetes-types/meta/v1.js';

/** kubernetes-types declares every field readonly; the server is the one place that writes them. */
export type ObjectMeta = { -readonly [K in keyof UpstreamObjectMeta]: UpstreamObjectMeta[K] };

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** A JSON object whose fields are not known statically. */
export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "apps/v1" -> { group: "apps", version: "v1" }; "v1" -> { group: "", version: "v1" }. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Upstream's GroupKind string: "Deployment.apps", or "Pod" for the core group. */
export function groupKind(group: string, kind: string): string {
  return group === '' ? kind : `${kind}.${group}`;
}

/** Upstream's GroupResource string: "deployments.apps", or "pods" for the core group. */
export function groupResource(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

/**
 * A deep copy of a JSON value (objects, arrays, strings, numbers, booleans, null; undefined
 * members are kept). A plain recursive copy: about 7× faster than structuredClone on a pod, and
 * the API server copies objects on every write.
 */
export function deepCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = deepCopy(value[i] as unknown);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = deepCopy((value as Record<string, unknown>)[key]);
  return out as T;
}

/** Structural equality of two JSON values; an absent member and an undefined one are the same. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const key of Object.keys(ao)) if (!jsonEqual(ao[key], bo[key])) return false;
  for (const key of Object.keys(bo)) if (!(key in ao) && bo[key] !== undefined) return false;
  return true;
}
