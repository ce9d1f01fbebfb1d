// PersistentVolumeClaimSpec rules, shared by PVCs, StatefulSet volumeClaimTemplates and
// ephemeral volumes.
import type { PersistentVolumeClaimSpec, TypedLocalObjectReference, TypedObjectReference } from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, forbidden, invalid, notSupported, required } from '../../field-errors.js';
import { validateLabelSelector } from '../meta.js';
import { isDNS1123Subdomain } from '../names.js';
import { asArray, asRecord } from './common.js';
import { quantityAt, validatePositiveQuantity, validateResourceQuantityValue } from './resources.js';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];

export function validateAccessModes(modes: string[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let rwop = false;
  let other = false;
  for (const mode of asArray(modes)) {
    if (!ACCESS_MODES.includes(mode)) errs.push(notSupported(path, mode, ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') rwop = true;
    else other = true;
  }
  if (rwop && other) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function validateDataSource(ds: TypedLocalObjectReference | TypedObjectReference, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!ds.name) errs.push(required(path.child('name')));
  if (!ds.kind) errs.push(required(path.child('kind')));
  const apiGroup = ds.apiGroup ?? '';
  if (!apiGroup && ds.kind !== 'PersistentVolumeClaim') {
    errs.push(invalid(path, ds.kind ?? '', "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  }
  if (apiGroup) for (const msg of isDNS1123Subdomain(apiGroup)) errs.push(invalid(path.child('apiGroup'), apiGroup, msg));
  return errs;
}

export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec | undefined, path: FieldPath): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  if (asArray(s.accessModes).length === 0) errs.push(required(path.child('accessModes'), 'at least 1 access mode is required'));
  if (s.selector) errs.push(...validateLabelSelector(s.selector, path.child('selector')));
  errs.push(...validateAccessModes(s.accessModes, path.child('accessModes')));

  // Upstream reports the storage request at resources[storage], skipping "requests".
  const storagePath = path.child('resources').key('storage');
  const requests = asRecord(s.resources?.requests as Record<string, unknown> | undefined);
  if (!('storage' in requests)) {
    errs.push(required(storagePath));
  } else {
    const q = quantityAt(requests['storage'], storagePath, errs);
    if (q) {
      const positive = validatePositiveQuantity(q, storagePath);
      errs.push(...(positive.length ? positive : validateResourceQuantityValue('storage', q, storagePath)));
    }
  }
  if (s.storageClassName) {
    for (const msg of isDNS1123Subdomain(s.storageClassName)) errs.push(invalid(path.child('storageClassName'), s.storageClassName, msg));
  }
  if (s.volumeMode !== undefined && s.volumeMode !== null && !VOLUME_MODES.includes(s.volumeMode)) {
    errs.push(notSupported(path.child('volumeMode'), s.volumeMode, VOLUME_MODES));
  }
  if (s.dataSource) errs.push(...validateDataSource(s.dataSource, path.child('dataSource')));
  if (s.dataSourceRef) {
    errs.push(...validateDataSource(s.dataSourceRef, path.child('dataSourceRef')));
    if (s.dataSourceRef.namespace) {
      if (s.dataSource) errs.push(invalid(path, path.child('dataSource').toString(), 'may not be specified when dataSourceRef.namespace is specified'));
    } else if (s.dataSource) {
      const a = s.dataSource;
      const b = s.dataSourceRef;
      if ((a.apiGroup ?? '') !== (b.apiGroup ?? '') || a.kind !== b.kind || a.name !== b.name) {
        errs.push(invalid(path, path.child('dataSource').toString(), 'must match dataSourceRef'));
      }
    }
  }
  if (s.volumeAttributesClassName !== undefined && s.volumeAttributesClassName !== null) {
    if (s.volumeAttributesClassName === '') {
      errs.push(required(path.child('volumeAttributesClassName'), 'an empty string is disallowed'));
    } else {
      for (const msg of isDNS1123Subdomain(s.volumeAttributesClassName)) {
        errs.push(invalid(path.child('volumeAttributesClassName'), s.volumeAttributesClassName, msg));
      }
    }
  }
  return errs;
}
