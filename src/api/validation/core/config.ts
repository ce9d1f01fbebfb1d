// Secret, ConfigMap and ServiceAccount.
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import { type FieldError, forbidden, invalid, required, rootPath, tooLong } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { deepEqual, validateImmutableField } from '../meta.js';
import { isConfigMapKey } from '../names.js';
import { asRecord } from './common.js';

export const MAX_SECRET_SIZE = 1024 * 1024;
const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';

/** Bytes a base64 value decodes to (stringData values are raw text). */
function decodedLength(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}

/**
 * Upstream validates its internal Secret, where stringData has already been merged into data;
 * we merge the same way so keys from either field are checked under "data".
 */
function secretData(secret: Secret): Map<string, Buffer> {
  const data = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(asRecord(secret.data))) data.set(k, Buffer.from(String(v), 'base64'));
  for (const [k, v] of Object.entries(asRecord(secret.stringData))) data.set(k, Buffer.from(String(v), 'utf8'));
  return data;
}

export function validateSecret(obj: KubeObject): FieldError[] {
  const secret = obj as Secret;
  const errs: FieldError[] = [];
  const dataPath = rootPath('data');
  const data = secretData(secret);
  let total = 0;
  for (const [key, value] of data) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(dataPath.key(key), key, msg));
    total += value.length;
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(dataPath, '', MAX_SECRET_SIZE));

  const requireKey = (key: string): boolean => {
    if (data.has(key)) return true;
    errs.push(required(dataPath.key(key)));
    return false;
  };
  const requireJSON = (key: string): void => {
    if (!requireKey(key)) return;
    try {
      const parsed: unknown = JSON.parse(data.get(key)!.toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('json: cannot unmarshal into Go value of type map[string]interface {}');
    } catch (e) {
      errs.push(invalid(dataPath.key(key), '<secret contents redacted>', (e as Error).message));
    }
  };
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      if (!secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(required(rootPath('metadata').child('annotations').key('kubernetes.io/service-account.name')));
      }
      break;
    case 'kubernetes.io/dockercfg':
      requireJSON('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      requireJSON('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but at least one must be present.
      if (!data.has('username') && !data.has('password')) {
        errs.push(required(dataPath.key('username')), required(dataPath.key('password')));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data.get('ssh-privatekey')?.length) errs.push(required(dataPath.key('ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      requireKey('tls.crt');
      requireKey('tls.key');
      break;
    default:
      break;
  }
  return errs;
}

export function validateSecretUpdate(obj: KubeObject, oldObj: KubeObject): FieldError[] {
  const now = obj as Secret;
  const old = oldObj as Secret;
  const errs = validateImmutableField(now.type ?? '', old.type ?? '', rootPath('type'));
  if (old.immutable === true) {
    if (now.immutable !== true) errs.push(forbidden(rootPath('immutable'), IMMUTABLE_WHEN_SET));
    const a = Object.fromEntries([...secretData(now)].map(([k, v]) => [k, v.toString('base64')]));
    const b = Object.fromEntries([...secretData(old)].map(([k, v]) => [k, v.toString('base64')]));
    if (!deepEqual(a, b)) errs.push(forbidden(rootPath('data'), IMMUTABLE_WHEN_SET));
  }
  return errs;
}

export function validateConfigMap(obj: KubeObject): FieldError[] {
  const cm = obj as ConfigMap;
  const errs: FieldError[] = [];
  const binary = asRecord(cm.binaryData);
  let total = 0;
  for (const [key, value] of Object.entries(asRecord(cm.data))) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(rootPath('data').key(key), key, msg));
    if (key in binary) errs.push(invalid(rootPath('data').key(key), key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(value), 'utf8');
  }
  for (const [key, value] of Object.entries(binary)) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(rootPath('binaryData').key(key), key, msg));
    total += decodedLength(String(value));
  }
  // The whole object is too big, so upstream reports an empty field path.
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(rootPath(''), '', MAX_SECRET_SIZE));
  return errs;
}

export function validateConfigMapUpdate(obj: KubeObject, oldObj: KubeObject): FieldError[] {
  const now = obj as ConfigMap;
  const old = oldObj as ConfigMap;
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (now.immutable !== true) errs.push(forbidden(rootPath('immutable'), IMMUTABLE_WHEN_SET));
    if (!deepEqual(now.data ?? undefined, old.data ?? undefined)) errs.push(forbidden(rootPath('data'), IMMUTABLE_WHEN_SET));
    if (!deepEqual(now.binaryData ?? undefined, old.binaryData ?? undefined)) errs.push(forbidden(rootPath('binaryData'), IMMUTABLE_WHEN_SET));
  }
  return errs;
}
