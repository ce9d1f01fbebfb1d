// The set of fields a value sets (structured-merge-diff's ToFieldSet): what an applier owns.
// Scalars, atomic values and list items are members; declared struct fields only appear as the
// parents of what they hold, so an applied "labels: {app: web}" owns labels.app but not labels.
import { isJsonObject } from '../object.js';
import { FieldSet } from './field-set.js';
import { fieldElement, type Path } from './path.js';
import type { TypeInfo } from './type-info.js';
import { asContainer, indexItems, resolveType } from './typed-value.js';

export interface FieldSetOptions {
  /** Fail on unkeyable or duplicate list items (applied configurations); tolerate them in live objects. */
  strict?: boolean;
}

export function fieldSetOf(value: unknown, type: TypeInfo, options: FieldSetOptions = {}): FieldSet {
  const set = new FieldSet();
  collect(value, type, [], set, options.strict ?? false);
  return set;
}

function collect(value: unknown, declared: TypeInfo, path: Path, set: FieldSet, strict: boolean): void {
  const type = resolveType(declared, value);
  if (type.kind === 'scalar' || type.kind === 'untyped') {
    set.insert(path);
    return;
  }
  if (type.kind === 'list') {
    if (type.listType === 'atomic') return set.insert(path);
    if (!Array.isArray(value)) return;
    for (const [element, item] of indexItems(type, value, path, strict)) {
      const itemPath = [...path, element];
      collect(item, type.items(), itemPath, set, strict);
      set.insert(itemPath);
    }
    return;
  }
  const container = asContainer(type)!;
  if (container.atomic) return set.insert(path);
  if (!isJsonObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, fieldElement(key)];
    collect(child, container.childType(key), childPath, set, strict);
    // Map entries are owned themselves; struct fields only through what they contain.
    if (!container.declared(key)) set.insert(childPath);
  }
}
