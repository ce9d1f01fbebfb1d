// Node selection as the API defines it: pod.spec.nodeSelector ANDed with the required node
// affinity terms (ORed), each term ANDing its matchExpressions and matchFields.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from 'kubernetes-types/core/v1.js';

function requirementMatches(req: NodeSelectorRequirement, fields: Readonly<Record<string, string>>): boolean {
  const value = fields[req.key];
  const has = value !== undefined;
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(value);
    case 'NotIn':
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const nodeNumber = Number.parseInt(value, 10);
      const bound = Number.parseInt(values[0]!, 10);
      if (Number.isNaN(nodeNumber) || Number.isNaN(bound)) return false;
      return req.operator === 'Gt' ? nodeNumber > bound : nodeNumber < bound;
    }
    default:
      return false;
  }
}

/** An empty term matches nothing, as upstream. matchFields only knows metadata.name. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  const nodeFields = { 'metadata.name': node.metadata?.name ?? '' };
  return expressions.every((r) => requirementMatches(r, labels)) && fields.every((r) => requirementMatches(r, nodeFields));
}

export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  return terms.some((t) => nodeSelectorTermMatches(t, node));
}

/** nodeSelector plus required node affinity: what NodeAffinity filters on. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[key] !== value) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return nodeSelectorTermsMatch(required.nodeSelectorTerms ?? [], node);
  return true;
}
