// The 409 an apply gets when it would change fields other managers own. Message and causes
// follow upstream: one conflict is spelled out on one line; several are grouped by manager
// (managers sorted), one "- <path>" line each.
import { StatusError } from '../errors.js';
import type { FieldSet } from './field-set.js';
import { describeManager, type ManagerRecord } from './managed-fields.js';
import { pathToString, type Path } from './path.js';

export interface Conflict {
  manager: ManagerRecord;
  path: Path;
}

/** Conflicts per manager identity, in identity order, paths in set order. */
export function conflictsOf(byManager: ReadonlyMap<string, { record: ManagerRecord; fields: FieldSet }>): Conflict[] {
  const out: Conflict[] = [];
  for (const id of [...byManager.keys()].sort()) {
    const { record, fields } = byManager.get(id)!;
    for (const path of fields.paths()) out.push({ manager: record, path });
  }
  return out;
}

export function conflictError(conflicts: readonly Conflict[]): StatusError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.manager)}`,
    field: pathToString(c.path),
  }));
  return new StatusError(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    return `Apply failed with 1 conflict: conflict with ${describeManager(only.manager)}: ${pathToString(only.path)}`;
  }
  const groups = new Map<string, string[]>();
  for (const c of conflicts) {
    const name = describeManager(c.manager);
    groups.set(name, [...(groups.get(name) ?? []), `- ${pathToString(c.path)}`]);
  }
  const lines: string[] = [];
  for (const name of [...groups.keys()].sort()) lines.push(`conflicts with ${name}:`, ...groups.get(name)!);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
