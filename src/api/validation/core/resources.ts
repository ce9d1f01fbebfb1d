// Resource names and quantities (cpu, memory, hugepages-*, example.com/gpu) as used by container
// resources, LimitRanges, ResourceQuotas, PV capacity and PVC requests.
import type { ResourceRequirements } from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, forbidden, invalid, required } from '../../field-errors.js';
import { tryParseQuantity, type Quantity } from '../../units/quantity.js';
import { isQualifiedName } from '../names.js';
import { IS_NEGATIVE_ERROR, IS_NOT_INTEGER_ERROR, asRecord, validateQualifiedName } from './common.js';

const HUGEPAGES_PREFIX = 'hugepages-';

const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage',
  'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const INTEGER_RESOURCES = new Set([
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers',
]);
/** cpu can be overcommitted; extended resources (gpus...) cannot, so request must equal limit. */
const OVERCOMMIT_ALLOWED = new Set(['cpu', 'memory', 'ephemeral-storage']);

export const isHugePageResourceName = (name: string): boolean => name.startsWith(HUGEPAGES_PREFIX);
export const isNativeResource = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}
export const isStandardResourceName = (name: string): boolean => isHugePageResourceName(name) || STANDARD_RESOURCES.has(name);
export const isStandardContainerResourceName = (name: string): boolean =>
  isHugePageResourceName(name) || STANDARD_CONTAINER_RESOURCES.has(name);
export const isIntegerResourceName = (name: string): boolean => INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
const isOvercommitAllowed = (name: string): boolean => isNativeResource(name) && !isHugePageResourceName(name) && OVERCOMMIT_ALLOWED.has(name);

/** A qualified name, and standard unless it carries a domain. */
export function validateResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateQualifiedName(name, path);
  if (errs.length) return errs;
  if (!name.includes('/') && !isStandardResourceName(name)) {
    errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  return errs;
}

export function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!isStandardContainerResourceName(name)) errs.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/**
 * Parses a quantity held in an object. Quantities that do not parse are reported with the
 * decoder's message, which upstream would return while decoding the request body.
 */
export function quantityAt(value: unknown, path: FieldPath, errs: FieldError[]): Quantity | undefined {
  const q = tryParseQuantity(value);
  if (!q) {
    errs.push(invalid(path, typeof value === 'string' ? value : String(value),
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
  }
  return q;
}

export function validateNonnegativeQuantity(q: Quantity, path: FieldPath): FieldError[] {
  return q.sign() < 0 ? [invalid(path, q.toString(), IS_NEGATIVE_ERROR)] : [];
}

export function validatePositiveQuantity(q: Quantity, path: FieldPath): FieldError[] {
  return q.sign() <= 0 ? [invalid(path, q.toString(), 'must be greater than zero')] : [];
}

export function validateResourceQuantityValue(resource: string, q: Quantity, path: FieldPath): FieldError[] {
  const errs = validateNonnegativeQuantity(q, path);
  if (isIntegerResourceName(resource) && q.milliValue() % 1000n !== 0n) errs.push(invalid(path, q.toString(), IS_NOT_INTEGER_ERROR));
  return errs;
}

/** Container resources: names, non-negative values, requests within limits, hugepages need cpu/memory. */
export function validateContainerResources(res: ResourceRequirements | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const limits = asRecord(res?.limits as Record<string, unknown> | undefined);
  const requests = asRecord(res?.requests as Record<string, unknown> | undefined);
  let hasCpuOrMemory = false;
  let hasHugePages = false;
  const parsedLimits = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(limits)) {
    const p = limPath.key(name);
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(raw, p, errs);
    if (!q) continue;
    parsedLimits.set(name, q);
    errs.push(...validateResourceQuantityValue(name, q, p));
    if (isHugePageResourceName(name)) hasHugePages = true;
    if (name === 'cpu' || name === 'memory') hasCpuOrMemory = true;
  }
  for (const [name, raw] of Object.entries(requests)) {
    const p = reqPath.key(name);
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(raw, p, errs);
    if (!q) continue;
    errs.push(...validateResourceQuantityValue(name, q, p));
    const limit = parsedLimits.get(name);
    if (limit) {
      if (q.cmp(limit) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (q.cmp(limit) > 0) {
        errs.push(invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
      }
    } else if (!isOvercommitAllowed(name) && !(name in limits)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) hasHugePages = true;
    if (name === 'cpu' || name === 'memory') hasCpuOrMemory = true;
  }
  if (hasHugePages && !hasCpuOrMemory) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}
