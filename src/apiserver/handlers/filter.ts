// Label and field selectors from a request's query, as one predicate over stored objects.
import type { KubeObject } from '../../api/object.js';
import { checkFieldSelector, fieldsOf } from '../../api/selectors/field-sets.js';
import { parseFieldSelector } from '../../api/selectors/fields.js';
import { parseLabelSelector } from '../../api/selectors/labels.js';

export interface ObjectFilter {
  /** True when no selector was given: every object passes. */
  everything: boolean;
  matches(obj: KubeObject): boolean;
}

export function filterFromQuery(query: URLSearchParams, group: string, kind: string): ObjectFilter {
  const labelText = query.get('labelSelector') ?? '';
  const fieldText = query.get('fieldSelector') ?? '';
  const labels = labelText ? parseLabelSelector(labelText) : undefined;
  const fields = fieldText ? parseFieldSelector(fieldText) : undefined;
  if (fields) checkFieldSelector(group, kind, fields);
  if (!labels && !fields) return { everything: true, matches: () => true };
  return {
    everything: false,
    matches(obj: KubeObject): boolean {
      if (labels && !labels.matches(obj.metadata?.labels ?? {})) return false;
      if (fields && !fields.matches(fieldsOf(group, kind, obj))) return false;
      return true;
    },
  };
}
