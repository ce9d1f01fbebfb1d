// The patch metadata strategic merge patch needs: upstream reads it from Go struct tags
// (`patchStrategy`, `patchMergeKey`); we describe the same facts as a tree of plain values.
import { hasKey } from './json-value.js';

/** Values of the patchStrategy tag. "retainKeys" only guides clients building patches; the server ignores it. */
export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

/** The tagged fields of one Go type. Fields without tags or nested tags are simply absent. */
export interface PatchSchema {
  readonly fields?: Readonly<Record<string, PatchField>>;
  /** For map types (map[string]T): the schema of every value. */
  readonly values?: PatchSchema;
}

export interface PatchField {
  readonly strategy?: PatchStrategy;
  /** The key that identifies list elements when strategy includes "merge" (absent for sets of primitives). */
  readonly mergeKey?: string;
  /** The field's type; for lists, the element type. */
  readonly schema?: PatchSchema;
}

/** Patch metadata of one field, defaulting to "no tags" (maps merge, lists are replaced). */
export function lookupField(schema: PatchSchema | undefined, key: string): PatchField {
  if (schema?.fields && hasKey(schema.fields, key)) return schema.fields[key] ?? {};
  if (schema?.values) return { schema: schema.values };
  return {};
}

/** The strategy left once "retainKeys" is set aside, as upstream's extractRetainKeysPatchStrategy does. */
export function mergingStrategy(field: PatchField): 'merge' | 'replace' | '' {
  switch (field.strategy) {
    case 'merge':
    case 'merge,retainKeys':
      return 'merge';
    case 'replace':
      return 'replace';
    default:
      return '';
  }
}
