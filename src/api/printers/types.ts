// Shapes shared by every printer: the column definition that goes on the wire in a
// meta.k8s.io/v1 Table, and the per-kind printer that turns one object into one row.
import type { KubeObject } from '../object.js';

export type TableColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface TableColumn {
  name: string;
  type: TableColumnType;
  format: string;
  description: string;
  /** 0 = always shown; 1 = only with `kubectl get -o wide`. */
  priority: number;
}

/** A row condition, as upstream attaches to finished pods ("Completed"). */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface TablePrinter {
  columns: readonly TableColumn[];
  /**
   * One cell per column, wide columns included: the API server always prints wide and
   * lets the client drop priority>0 columns.
   */
  cells(obj: KubeObject, now: Date): unknown[];
  /** Optional row conditions (only pods use them upstream). */
  rowConditions?(obj: KubeObject): TableRowCondition[] | undefined;
  /** Optional list ordering the printer imposes (upstream sorts FlowSchemas). */
  sortObjects?(objects: readonly KubeObject[]): KubeObject[];
}

interface ColumnOptions {
  priority?: number;
  format?: string;
}

export function column(
  name: string,
  type: TableColumnType,
  description: string,
  options: ColumnOptions = {},
): TableColumn {
  return { name, type, format: options.format ?? '', description, priority: options.priority ?? 0 };
}

/** Wide-only string column: the common case for -o wide extras. */
export function wideColumn(name: string, description: string): TableColumn {
  return column(name, 'string', description, { priority: 1 });
}

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace; it identifies the object and cannot be updated.';
export const AGE_DESCRIPTION =
  'CreationTimestamp is the server time at which this object was created, as an RFC3339 timestamp.';

export const nameColumn: TableColumn = column('Name', 'string', NAME_DESCRIPTION, { format: 'name' });
export const ageColumn: TableColumn = column('Age', 'string', AGE_DESCRIPTION);
export const containersColumn: TableColumn = wideColumn('Containers', 'Names of the containers in the template.');
export const imagesColumn: TableColumn = wideColumn('Images', 'Images used by the containers in the template.');
