// Server-side printing (upstream pkg/printers/internalversion) for built-in kinds.
export type { TableColumn, TableColumnType, TablePrinter, TableRowCondition } from './types.js';
export { printerFor, hasDedicatedPrinter } from './registry.js';
export {
  buildTable,
  buildWatchEventTable,
  negotiateTable,
  parseIncludeObject,
  type BuildTableOptions,
  type IncludeObject,
  type PartialObjectMetadata,
  type Table,
  type TableApiVersion,
  type TableRow,
  type WatchTableOptions,
} from './table.js';
export {
  formatLabelSelector,
  formatLabels,
  humanDuration,
  labelSelectorString,
  translateTimestampSince,
} from './format.js';
export { customResourceDefaultPrinter, defaultPrinter, rfc3339 } from './default.js';
