// Generic metadata rules every kind follows on create and update (upstream's
// rest.BeforeCreate / rest.BeforeUpdate and metav1 object handling).
import { randomInt, randomUUID } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '../../api/object.js';
import { isJsonObject, jsonEqual } from '../../api/object.js';

/** Characters upstream uses for generated name suffixes (no vowels, no look-alikes). */
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
const generatedSuffixLength = 5;
/** generateName is truncated so the whole name stays within 63 characters. */
const maxGeneratedNameLength = 63;

export function generateName(base: string): string {
  const prefix = base.length > maxGeneratedNameLength - generatedSuffixLength ? base.slice(0, maxGeneratedNameLength - generatedSuffixLength) : base;
  let suffix = '';
  for (let i = 0; i < generatedSuffixLength; i++) suffix += suffixAlphabet[randomInt(suffixAlphabet.length)];
  return prefix + suffix;
}

/** The last second timestamp() formatted: writes come many to a second. */
let formattedSecond = Number.NaN;
let formattedText = '';

/** RFC 3339 with second precision, as metav1.Time serialises: 2024-01-02T03:04:05Z. */
export function timestamp(date: Date = new Date()): string {
  const second = Math.floor(date.getTime() / 1000);
  // An invalid date (NaN) never matches, so toISOString still throws for it.
  if (second !== formattedSecond) {
    formattedText = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    formattedSecond = second;
  }
  return formattedText;
}

export function metaOf(obj: KubeObject): ObjectMeta {
  if (!isJsonObject(obj.metadata)) obj.metadata = {};
  return obj.metadata!;
}

/**
 * Upstream's ObjectMeta marks these omitempty: an empty map or list (say, the last finalizer
 * removed by a patch) is stored and served as absent.
 */
function dropEmptyMeta(meta: ObjectMeta): void {
  if (meta.labels && Object.keys(meta.labels).length === 0) delete meta.labels;
  if (meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
  if (Array.isArray(meta.finalizers) && meta.finalizers.length === 0) delete meta.finalizers;
  if (Array.isArray(meta.ownerReferences) && meta.ownerReferences.length === 0) delete meta.ownerReferences;
}

/** Fields the server owns on create: whatever the client sent for them is replaced. */
export function fillCreateMeta(obj: KubeObject, withGeneration: boolean): void {
  const meta = metaOf(obj);
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp();
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete (meta as Record<string, unknown>).selfLink;
  if (withGeneration) meta.generation = 1;
  else delete meta.generation;
  dropEmptyMeta(meta);
}

/** On update, the server keeps identity and lifecycle fields from the stored object. */
export function keepServerMeta(obj: KubeObject, old: KubeObject): void {
  const meta = metaOf(obj);
  const oldMeta = metaOf(old);
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  meta.namespace = oldMeta.namespace;
  if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
  else delete meta.generation;
  if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  if (oldMeta.generateName !== undefined) meta.generateName = oldMeta.generateName;
  if (!oldMeta.namespace) delete meta.namespace;
  delete (meta as Record<string, unknown>).selfLink;
  dropEmptyMeta(meta);
}

/** Everything but metadata and status: a change here is a spec change and bumps generation. */
export function specOf(obj: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...rest } = obj;
  return rest;
}

/** Structural equality of JSON values (one implementation for the whole project). */
export const deepEqual = jsonEqual;
