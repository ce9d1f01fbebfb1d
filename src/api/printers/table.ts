// Assembles meta.k8s.io Table responses the way the upstream API server does:
//  - rows always carry every column (the server prints "wide"; kubectl hides priority>0);
//  - row.object follows ?includeObject=: "Metadata" (the default, and what plain
//    `kubectl get` gets) -> PartialObjectMetadata, "Object" (kubectl sends it only with
//    --sort-by) -> the full object, "None" -> null;
//  - a watch sends each event's object as a one-row Table, with column definitions only
//    on the first event (later ones have `columnDefinitions: null`).
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../object.js';
import type { TableColumn, TablePrinter, TableRowCondition } from './types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export const TABLE_API_VERSIONS = ['meta.k8s.io/v1', 'meta.k8s.io/v1beta1'] as const;
export type TableApiVersion = (typeof TABLE_API_VERSIONS)[number];

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: TableApiVersion;
  metadata: ObjectMeta;
}

/** The Table's list metadata (kubernetes-types marks these fields read-only). */
export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object: KubeObject | PartialObjectMetadata | null;
}

export interface Table {
  kind: 'Table';
  apiVersion: TableApiVersion;
  metadata: TableListMeta;
  columnDefinitions: TableColumn[] | null;
  rows: TableRow[];
}

export interface BuildTableOptions {
  includeObject: IncludeObject;
  now: Date;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** Drop column definitions (every watch event after the first). */
  omitHeaders?: boolean;
  /** meta.k8s.io/v1 unless the client negotiated v1beta1. */
  tableApiVersion?: TableApiVersion;
  /** Filled into Object-mode rows whose objects lack apiVersion/kind (e.g. stored list items). */
  objectApiVersion?: string;
  objectKind?: string;
}

function rowObject(obj: KubeObject, opts: BuildTableOptions, tableApiVersion: TableApiVersion): TableRow['object'] {
  switch (opts.includeObject) {
    case 'None':
      return null;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: tableApiVersion, metadata: obj.metadata ?? {} };
    case 'Object': {
      if (obj.apiVersion && obj.kind) return obj;
      const filled: KubeObject = { ...obj };
      if (!filled.apiVersion && opts.objectApiVersion) filled.apiVersion = opts.objectApiVersion;
      if (!filled.kind && opts.objectKind) filled.kind = opts.objectKind;
      // Keep apiVersion/kind first, as a typed Go object would encode them.
      const { apiVersion, kind, ...rest } = filled;
      return { apiVersion, kind, ...rest };
    }
  }
}

export function buildTable(printer: TablePrinter, objects: readonly KubeObject[], opts: BuildTableOptions): Table {
  const tableApiVersion = opts.tableApiVersion ?? 'meta.k8s.io/v1';
  const ordered = printer.sortObjects ? printer.sortObjects(objects) : objects;
  const rows = ordered.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, opts.now), object: null };
    const conditions = printer.rowConditions?.(obj);
    if (conditions && conditions.length > 0) row.conditions = conditions;
    row.object = rowObject(obj, opts, tableApiVersion);
    return row;
  });
  const metadata: TableListMeta = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: tableApiVersion,
    metadata,
    columnDefinitions: opts.omitHeaders ? null : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}

export interface WatchTableOptions {
  includeObject: IncludeObject;
  now: Date;
  /** True for the first event of the watch: only it carries column definitions. */
  first: boolean;
  tableApiVersion?: TableApiVersion;
  objectApiVersion?: string;
  objectKind?: string;
}

/**
 * The object of one ADDED/MODIFIED/DELETED (or initial-events) watch event when the client
 * asked for tables. Upstream builds it from the single object, so the Table's
 * resourceVersion is the object's. BOOKMARK and ERROR events are not converted.
 */
export function buildWatchEventTable(printer: TablePrinter, obj: KubeObject, opts: WatchTableOptions): Table {
  const build: BuildTableOptions = { includeObject: opts.includeObject, now: opts.now, omitHeaders: !opts.first };
  const rv = obj.metadata?.resourceVersion;
  if (rv) build.resourceVersion = rv;
  if (opts.tableApiVersion) build.tableApiVersion = opts.tableApiVersion;
  if (opts.objectApiVersion) build.objectApiVersion = opts.objectApiVersion;
  if (opts.objectKind) build.objectKind = opts.objectKind;
  return buildTable(printer, [obj], build);
}

/**
 * ?includeObject= parsing: absent or empty means Metadata; undefined for values upstream
 * rejects (the caller answers 400 Bad Request).
 */
export function parseIncludeObject(value: string | null | undefined): IncludeObject | undefined {
  if (value === null || value === undefined || value === '') return 'Metadata';
  return value === 'None' || value === 'Metadata' || value === 'Object' ? value : undefined;
}

/**
 * Picks the Table version a JSON Accept header asks for, honouring the client's order:
 * the first `application/json;as=Table;g=meta.k8s.io;v=v1|v1beta1` wins; undefined when the
 * client prefers (or only accepts) plain objects before any Table type.
 */
export function negotiateTable(accept: string | null | undefined): TableApiVersion | undefined {
  for (const clause of (accept ?? '').split(',')) {
    const [mediaType = '', ...params] = clause.split(';').map((p) => p.trim());
    const values = new Map(params.map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p, ''] : [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
    }));
    const type = mediaType.toLowerCase();
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') continue;
    if (values.get('as') !== 'Table') return undefined;
    if (values.get('g') !== 'meta.k8s.io') continue;
    const v = values.get('v');
    if (v === 'v1') return 'meta.k8s.io/v1';
    if (v === 'v1beta1') return 'meta.k8s.io/v1beta1';
  }
  return undefined;
}
