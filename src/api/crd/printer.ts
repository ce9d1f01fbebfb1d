// Server-side Table printing for custom resources (apiextensions tableconvertor): NAME plus
// one column per additionalPrinterColumn, or NAME + Age when the CRD declares none.
import type { KubeObject } from '../object.js';
import { humanDuration } from '../printers/format.js';
import type { TableColumn, TableColumnType, TablePrinter } from '../printers/types.js';
import { goFloat } from './go-format.js';
import { compileJsonPath } from './jsonpath.js';
import { isJsonMap } from './schema.js';

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition. */
export interface CustomResourceColumnDefinition {
  name: string;
  type: TableColumnType | string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

// ObjectMeta's swagger descriptions, which upstream uses for the Name and default Age columns.
export const OBJECT_META_NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** What upstream serves when a CRD version has no additionalPrinterColumns. */
export const DEFAULT_CUSTOM_RESOURCE_COLUMNS: readonly CustomResourceColumnDefinition[] = [
  { name: 'Age', type: 'date', description: OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' },
];

const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');
// Go's time.Parse(time.RFC3339, …): fractional seconds allowed, a zone is required.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A date cell is rendered server-side as an age, as metatable.ConvertToHumanReadableDateType does. */
function dateCell(text: string, now: Date): string {
  if (text === '' || text === 'null') return '<unknown>';
  const ms = RFC3339.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) return '<invalid>';
  if (ms === GO_ZERO_TIME_MS) return '<unknown>';
  return humanDuration(now.getTime() - ms);
}

/** encoding/json escapes <, > and & in strings; kubectl's JSONPath prints compound values with it. */
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (isJsonMap(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
    return v;
  };
  return JSON.stringify(sorted(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSONPath text output of one value, as a string column shows it. */
function stringCell(value: unknown): string {
  if (value === null || value === undefined) return '<no value>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? String(value) : goFloat(value);
  if (typeof value === 'boolean') return String(value);
  return goJson(value);
}

/** Upstream's cellForJSONValue: a value of the wrong JSON type becomes an empty (nil) cell. */
function typedCell(type: string, value: unknown, now: Date): unknown {
  // A string column prints even a null through JSONPath (as "<no value>"); others go empty.
  if (type === 'string') return stringCell(value);
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? dateCell(value, now) : null;
    default:
      return null;
  }
}

/**
 * The Table printer for a CRD version. Columns whose jsonPath fails to parse make upstream
 * fall back to the NAME-only table, so they do here too.
 */
export function printerForCustomResource(columns: readonly CustomResourceColumnDefinition[] | undefined): TablePrinter {
  const definitions = columns && columns.length > 0 ? columns : DEFAULT_CUSTOM_RESOURCE_COLUMNS;
  const nameColumn: TableColumn = { name: 'Name', type: 'string', format: 'name', description: OBJECT_META_NAME_DESCRIPTION, priority: 0 };
  const headers: TableColumn[] = [nameColumn];
  const finders: ((data: unknown) => unknown[])[] = [];
  try {
    for (const col of definitions) {
      finders.push(compileJsonPath(col.jsonPath));
      headers.push({
        name: col.name,
        type: col.type as TableColumnType,
        format: col.format ?? '',
        description: col.description || `Custom resource definition column (in JSONPath format): ${col.jsonPath}`,
        priority: col.priority ?? 0,
      });
    }
  } catch {
    headers.splice(1);
    finders.splice(0);
  }
  return {
    columns: headers,
    cells(obj: KubeObject, now: Date): unknown[] {
      const cells: unknown[] = [obj.metadata?.name ?? ''];
      finders.forEach((find, i) => {
        // Only the first match is shown, as upstream assumes simple paths.
        let results: unknown[] = [];
        try {
          results = find(obj);
        } catch {
          results = [];
        }
        cells.push(results.length === 0 ? null : typedCell(headers[i + 1]?.type ?? 'string', results[0], now));
      });
      return cells;
    },
  };
}
