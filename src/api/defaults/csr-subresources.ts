// Upstream's CertificateSigningRequest status and approval strategies
// (pkg/registry/certificates/certificates/strategy.go): /status is the signer's, /approval the
// approver's, and neither may do the other's job. Spec and metadata are already kept from the
// stored object by the generic registry; these hooks settle status.
import type { KubeObject } from '../object.js';
import { asJson, childObject } from './fields.js';

type Condition = Record<string, unknown> & { type?: unknown; status?: unknown; lastUpdateTime?: unknown; lastTransitionTime?: unknown };

function conditionsOf(obj: KubeObject): Condition[] {
  const list = childObject(asJson(obj), 'status')?.['conditions'];
  return Array.isArray(list) ? (list as Condition[]) : [];
}

function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * preserveConditionInstances: a /status write keeps the stored Approved and Denied conditions
 * as they were; one that adds or removes them is left to fail validation.
 */
function preserveConditionInstances(obj: KubeObject, old: KubeObject, type: string): void {
  const next = conditionsOf(obj);
  const oldIndices = conditionsOf(old).flatMap((c, i) => (c.type === type ? [i] : []));
  const newIndices = next.flatMap((c, i) => (c.type === type ? [i] : []));
  if (oldIndices.length !== newIndices.length) return;
  newIndices.forEach((newIndex, i) => (next[newIndex] = structuredClone(conditionsOf(old)[oldIndices[i]!]!)));
}

/** populateConditionTimestamps: missing lastUpdateTime is now; lastTransitionTime is kept from a stored condition of the same type and status. */
function populateConditionTimestamps(obj: KubeObject, old: KubeObject): void {
  const now = nowTimestamp();
  for (const condition of conditionsOf(obj)) {
    if (!condition.lastUpdateTime) condition.lastUpdateTime = now;
    if (!condition.lastTransitionTime) {
      const same = conditionsOf(old).find((c) => c.type === condition.type && c.status === condition.status && c.lastTransitionTime);
      condition.lastTransitionTime = same?.lastTransitionTime ?? now;
    }
  }
}

/** The status-like subresources of a CSR: "status" (certificate, Failed) and "approval" (conditions). */
export function prepareCSRForStatusUpdate(obj: KubeObject, old: KubeObject, subresource: string): void {
  const status = (asJson(obj)['status'] ??= {}) as Record<string, unknown>;
  if (subresource === 'approval') {
    // Approval changes only the conditions: the certificate stays as stored.
    const certificate = childObject(asJson(old), 'status')?.['certificate'];
    if (certificate === undefined) delete status['certificate'];
    else status['certificate'] = certificate;
  } else {
    preserveConditionInstances(obj, old, 'Approved');
    preserveConditionInstances(obj, old, 'Denied');
  }
  populateConditionTimestamps(obj, old);
}
