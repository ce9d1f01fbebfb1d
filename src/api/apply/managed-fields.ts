// metadata.managedFields in memory: one field set per manager identity. Upstream identifies a
// manager by its name, operation and subresource, plus the apiVersion for updaters only (an
// applier keeps one entry whatever version it applies with).
import { FieldSet, fromFieldsV1, toFieldsV1, type FieldsV1 } from './field-set.js';
import { compareStrings } from './path.js';
import { isOwnEncoding, rememberOwnEncoding } from './own-encodings.js';

export type Operation = 'Apply' | 'Update';

/** The wire form, with upstream's field order. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: Operation;
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: FieldsV1;
  subresource?: string;
}

export interface ManagerRecord {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  fields: FieldSet;
  /**
   * The fieldsV1 this record was decoded from (a stored or sent entry, never modified): encoding
   * copies the parts of it that still spell `fields` instead of rebuilding them.
   */
  source?: unknown;
}

/** Keyed by manager identity; insertion order is irrelevant (encoding sorts). */
export type ManagedFields = Map<string, ManagerRecord>;

export function managerIdentity(m: { manager: string; operation: Operation; apiVersion: string; subresource?: string }): string {
  const apiVersion = m.operation === 'Apply' ? '' : m.apiVersion;
  // JSON.stringify([manager, operation, apiVersion, subresource]) (capUpdateManagers orders by
  // it), spelled out part by part, which is cheaper; a part JSON cannot encode reads null as in an array.
  return `[${jsonPart(m.manager)},${jsonPart(m.operation)},${jsonPart(apiVersion)},${jsonPart(m.subresource ?? '')}]`;
}

const jsonPart = (value: unknown): string => JSON.stringify(value) ?? 'null';

/** Decodes entries; throws on entries upstream rejects (bad operation, fieldsType, apiVersion). */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): ManagedFields {
  const out: ManagedFields = new Map();
  (entries ?? []).forEach((entry, i) => {
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!entry.apiVersion) throw new Error('apiVersion must not be empty');
    if (entry.fieldsType !== 'FieldsV1') {
      throw new Error(entry.fieldsType ? `invalid fieldsType "${entry.fieldsType}" in managed fields entry ${i}` : `missing fieldsType in managed fields entry ${i}`);
    }
    const record: ManagerRecord = {
      manager: entry.manager ?? '',
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      fields: fromFieldsV1(entry.fieldsV1 ?? {}, isOwnEncoding(entry.fieldsV1)),
      source: entry.fieldsV1,
    };
    if (entry.subresource) record.subresource = entry.subresource;
    if (entry.time) record.time = entry.time;
    out.set(managerIdentity(record), record);
  });
  return out;
}

/** Decodes, or returns empty managed fields when the stored ones are unreadable (upstream resets them). */
export function decodeOrEmpty(entries: readonly ManagedFieldsEntry[] | undefined): ManagedFields {
  try {
    return decodeManagedFields(entries);
  } catch {
    return new Map();
  }
}

function seconds(time: string | undefined): number {
  if (!time) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Entries without empty sets, sorted as upstream: operation, time, manager, apiVersion, subresource. */
export function encodeManagedFields(managed: ManagedFields): ManagedFieldsEntry[] | undefined {
  const records = [...managed.values()].filter((r) => !r.fields.isEmpty());
  if (records.length === 0) return undefined;
  records.sort(
    (p, q) =>
      compareStrings(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      compareStrings(p.manager, q.manager) ||
      compareStrings(p.apiVersion, q.apiVersion) ||
      compareStrings(p.subresource ?? '', q.subresource ?? ''),
  );
  return records.map((r) => {
    const entry: ManagedFieldsEntry = { manager: r.manager, operation: r.operation, apiVersion: r.apiVersion };
    if (r.time) entry.time = r.time;
    entry.fieldsType = 'FieldsV1';
    entry.fieldsV1 = toFieldsV1(r.fields, r.source);
    // A set left as decoded hands back its stored fieldsV1, which is remembered already.
    if (entry.fieldsV1 !== r.fields.origin) rememberOwnEncoding(entry.fieldsV1);
    if (r.subresource) entry.subresource = r.subresource;
    return entry;
  });
}

/** metav1.Time on the wire: RFC 3339 in UTC, whole seconds. */
export function formatTime(now: Date): string {
  const second = Math.floor(now.getTime() / 1000);
  // Every write of the same second stamps the same text: format it once.
  if (second === lastFormatted.second) return lastFormatted.text;
  const iso = now.toISOString();
  // "….123Z" for years 0–9999; other years keep the regular expression's exact behaviour.
  const text = iso.length === 24 && iso.charCodeAt(19) === DOT ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
  lastFormatted = { second, text };
  return text;
}

let lastFormatted = { second: Number.NaN, text: '' };
const DOT = '.'.charCodeAt(0);

/** Go's %q of a manager name, plus what tells same-named managers apart, as conflict messages print them. */
export function describeManager(r: ManagerRecord): string {
  let text = JSON.stringify(r.manager);
  if (r.subresource) text += ` with subresource ${JSON.stringify(r.subresource)}`;
  if (r.operation === 'Update') text += ` using ${r.apiVersion}`;
  return text;
}

export function cloneManaged(managed: ManagedFields): ManagedFields {
  const out: ManagedFields = new Map();
  for (const [k, r] of managed) out.set(k, { ...r, fields: r.fields.clone() });
  return out;
}

/** Drops managers whose sets became empty. */
export function dropEmpty(managed: ManagedFields): void {
  for (const [k, r] of managed) if (r.fields.isEmpty()) managed.delete(k);
}
