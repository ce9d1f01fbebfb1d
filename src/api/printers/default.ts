// The generic-apiserver default table: NAME and CREATED AT (an RFC3339 date, not an age).
// Upstream serves it for kinds without a dedicated printer, e.g. Role, ClusterRole,
// LimitRange and CustomResourceDefinition.
import { NAME_DESCRIPTION, column, type TablePrinter } from './types.js';
import { parseTimestamp, translateTimestampSince } from './format.js';

/** Go's time.Time.UTC().Format(time.RFC3339): whole seconds, "Z"; the zero time when unset. */
export function rfc3339(timestamp: unknown): string {
  const ms = parseTimestamp(timestamp);
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const defaultPrinter: TablePrinter = {
  columns: [
    column('Name', 'string', NAME_DESCRIPTION, { format: 'name' }),
    column('Created At', 'date', 'CreationTimestamp is the server time at which this object was created.'),
  ],
  cells(obj, _now) {
    return [obj.metadata?.name ?? '', rfc3339(obj.metadata?.creationTimestamp)];
  },
};

/**
 * What the apiextensions server prints for a custom resource whose CRD declares no
 * additionalPrinterColumns: NAME plus an "Age" column typed date whose cell is already
 * rendered as an age. (CRDs' own printer columns need a JSONPath printer, not provided here.)
 */
export const customResourceDefaultPrinter: TablePrinter = {
  columns: [
    column('Name', 'string', NAME_DESCRIPTION, { format: 'name' }),
    column('Age', 'date', 'CreationTimestamp is the server time at which this object was created.'),
  ],
  cells(obj, now) {
    return [obj.metadata?.name ?? '', translateTimestampSince(obj.metadata?.creationTimestamp, now)];
  },
};
