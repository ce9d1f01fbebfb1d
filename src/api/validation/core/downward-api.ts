// Downward API selectors (env valueFrom.fieldRef / resourceFieldRef and downwardAPI volume items).
import type { ObjectFieldSelector, ResourceFieldSelector } from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, invalid, notSupported, required } from '../../field-errors.js';
import { isQualifiedName } from '../names.js';

/** Pod fields the downward API can convert at all (ConvertDownwardAPIFieldLabel). */
const CONVERTIBLE_FIELDS = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName',
  'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
]);

export const ENV_FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

const CONTAINER_RESOURCES = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

/** "metadata.labels['app']" -> ["metadata.labels", "app"]. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  const m = /^([^[]+)\['(.*)'\]$/.exec(fieldPath);
  return m ? [m[1]!, m[2]!] : undefined;
}

export function validateObjectFieldSelector(fs: ObjectFieldSelector, allowed: readonly string[], path: FieldPath): FieldError[] {
  const apiVersion = fs.apiVersion ?? '';
  if (!apiVersion) return [required(path.child('apiVersion'))];
  if (!fs.fieldPath) return [required(path.child('fieldPath'))];
  const sub = splitSubscript(fs.fieldPath);
  const base = sub ? sub[0] : fs.fieldPath;
  if (apiVersion !== 'v1') {
    return [invalid(path.child('fieldPath'), fs.fieldPath, `error converting fieldPath: unsupported pod version: ${apiVersion}`)];
  }
  if (!CONVERTIBLE_FIELDS.has(base) || (sub && base !== 'metadata.annotations' && base !== 'metadata.labels')) {
    return [invalid(path.child('fieldPath'), fs.fieldPath, `error converting fieldPath: field label not supported: ${fs.fieldPath}`)];
  }
  if (sub) {
    const key = base === 'metadata.annotations' ? sub[1].toLowerCase() : sub[1];
    return isQualifiedName(key).map((msg) => invalid(path, key, msg));
  }
  if (!allowed.includes(base)) return [notSupported(path.child('fieldPath'), base, allowed)];
  return [];
}

export const validateEnvVarFieldRef = (fs: ObjectFieldSelector, path: FieldPath): FieldError[] => validateObjectFieldSelector(fs, ENV_FIELD_PATHS, path);

export function validateResourceFieldRef(fs: ResourceFieldSelector, path: FieldPath, inVolume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!fs.resource) errs.push(required(path.child('resource')));
  else if (!CONTAINER_RESOURCES.includes(fs.resource) && !fs.resource.startsWith('requests.hugepages-') && !fs.resource.startsWith('limits.hugepages-')) {
    errs.push(notSupported(path.child('resource'), fs.resource, CONTAINER_RESOURCES));
  }
  if (inVolume && !fs.containerName) errs.push(required(path.child('containerName')));
  return errs;
}
