// Small helpers shared by the core/v1 validators: wrapping name checks into FieldErrors and
// upstream's stock messages.
import { type FieldError, type FieldPath, invalid } from '../../field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidIP } from '../names.js';

export const IS_NEGATIVE_ERROR = 'must be greater than or equal to 0';
export const IS_NOT_POSITIVE_ERROR = 'must be greater than zero';
export const IS_NOT_INTEGER_ERROR = 'must be an integer';
export const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';
export const MAX_INT32 = 2147483647;

/** Runs a string check and reports each problem as Invalid on the path. */
export function check(value: string, path: FieldPath, checker: (v: string) => string[]): FieldError[] {
  return checker(value).map((msg) => invalid(path, value, msg));
}

export const validateDNS1123Label = (value: string, path: FieldPath): FieldError[] => check(value, path, isDNS1123Label);
export const validateDNS1123Subdomain = (value: string, path: FieldPath): FieldError[] => check(value, path, isDNS1123Subdomain);
export const validateQualifiedName = (value: string, path: FieldPath): FieldError[] => check(value, path, isQualifiedName);
export const validateIP = (value: string, path: FieldPath): FieldError[] => check(value, path, isValidIP);

export function validateNonnegativeField(value: number | undefined, path: FieldPath): FieldError[] {
  if (value !== undefined && value < 0) return [invalid(path, value, IS_NEGATIVE_ERROR)];
  return [];
}

/** A relative path that does not climb out of its base directory. */
export function validateLocalDescendingPath(target: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, path));
  return errs;
}

export function validatePathNoBacksteps(target: string, path: FieldPath): FieldError[] {
  if (target.split('/').includes('..')) return [invalid(path, target, "must not contain '..'")];
  return [];
}

/** Like validateLocalDescendingPath, also refusing names that start with ".." (reserved by the kubelet). */
export function validateLocalNonReservedPath(target: string, path: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}

export function validateFileMode(mode: number | undefined, path: FieldPath): FieldError[] {
  if (mode !== undefined && (mode > 0o777 || mode < 0)) return [invalid(path, mode, FILE_MODE_ERROR)];
  return [];
}

/** IntOrString port: numbers must be 1-65535, strings valid port names. */
export function validatePortNumOrName(port: number | string | undefined, path: FieldPath, isValidPortNum: (n: number) => string[], isValidPortName: (s: string) => string[]): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((msg) => invalid(path, port, msg));
  return isValidPortName(port ?? '').map((msg) => invalid(path, port ?? '', msg));
}

export const asArray = <T>(v: T[] | undefined | null): T[] => (Array.isArray(v) ? v : []);
export const asRecord = <T>(v: Record<string, T> | undefined | null): Record<string, T> =>
  v && typeof v === 'object' && !Array.isArray(v) ? v : {};

/** Addresses that can never be a real endpoint or external IP. */
export function validateNonSpecialIP(ip: string, path: FieldPath): FieldError[] {
  const lower = ip.toLowerCase();
  if (ip === '0.0.0.0' || lower === '::') return [invalid(path, ip, 'may not be unspecified (0.0.0.0)')];
  if (ip.startsWith('127.') || lower === '::1') return [invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (ip.startsWith('169.254.') || lower.startsWith('fe80:')) return [invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if (ip.startsWith('224.0.0.') || lower.startsWith('ff02:')) return [invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  return [];
}
