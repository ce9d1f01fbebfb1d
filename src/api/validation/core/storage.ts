// PersistentVolume and PersistentVolumeClaim.
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec } from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, forbidden, invalid, notSupported, required, rootPath } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { deepEqual, validateImmutableField } from '../meta.js';
import { isDNS1123Subdomain } from '../names.js';
import { asRecord, validatePathNoBacksteps } from './common.js';
import { describeDiff } from './diff.js';
import { VOLUME_MODES, validateAccessModes, validatePersistentVolumeClaimSpec } from './pvc-spec.js';
import { quantityAt, validatePositiveQuantity, validateResourceName } from './resources.js';
import { validateNodeSelector } from './scheduling.js';
import { validateCSIDriverName } from './volumes.js';

const spec = rootPath('spec');
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Volume sources a PersistentVolume may use, in upstream's checking order. */
const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cinder', 'cephfs',
  'iscsi', 'fc', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO', 'local',
  'storageos', 'csi', 'flexVolume',
] as const;

function validatePVSource(s: PersistentVolumeSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  const src = s as unknown as Record<string, unknown>;
  for (const key of PV_SOURCES) {
    if (src[key] === undefined || src[key] === null) continue;
    if (count > 0) {
      errs.push(forbidden(path.child(key), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const p = path.child(key);
    if (key === 'hostPath') {
      const hp = s.hostPath!;
      if (!hp.path) errs.push(required(p.child('path')));
      else {
        errs.push(...validatePathNoBacksteps(hp.path, p.child('path')));
        if (hp.type !== undefined && hp.type !== null && !HOST_PATH_TYPES.includes(hp.type)) errs.push(notSupported(p.child('type'), hp.type, HOST_PATH_TYPES));
      }
    } else if (key === 'nfs') {
      if (!s.nfs!.server) errs.push(required(p.child('server')));
      if (!s.nfs!.path) errs.push(required(p.child('path')));
      else if (!s.nfs!.path.startsWith('/')) errs.push(invalid(p.child('path'), s.nfs!.path, 'must be an absolute path'));
    } else if (key === 'local') {
      if (!s.local!.path) errs.push(required(p.child('path')));
      else errs.push(...validatePathNoBacksteps(s.local!.path, p.child('path')));
    } else if (key === 'csi') {
      if (!s.csi!.driver) errs.push(required(p.child('driver')));
      else errs.push(...validateCSIDriverName(s.csi!.driver, p.child('driver')));
      if (!s.csi!.volumeHandle) errs.push(required(p.child('volumeHandle')));
    }
  }
  if (count === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

export function validatePersistentVolume(obj: KubeObject): FieldError[] {
  const s = (obj as PersistentVolume).spec ?? {};
  const errs: FieldError[] = [];
  if (!(s.accessModes ?? []).length) errs.push(required(spec.child('accessModes')));
  errs.push(...validateAccessModes(s.accessModes, spec.child('accessModes')));
  const capacity = asRecord(s.capacity as Record<string, unknown> | undefined);
  const capPath = spec.child('capacity');
  if (Object.keys(capacity).length === 0) errs.push(required(capPath));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) errs.push(notSupported(capPath, capacity, ['storage']));
  for (const [name, raw] of Object.entries(capacity)) {
    const p = capPath.key(name);
    errs.push(...validateResourceName(name, p));
    const q = quantityAt(raw, p, errs);
    if (q) errs.push(...validatePositiveQuantity(q, p));
  }
  const reclaim = s.persistentVolumeReclaimPolicy;
  if (reclaim && !RECLAIM_POLICIES.includes(reclaim)) errs.push(notSupported(spec.child('persistentVolumeReclaimPolicy'), reclaim, RECLAIM_POLICIES));
  let hasNodeAffinity = false;
  if (s.nodeAffinity) {
    hasNodeAffinity = true;
    if (s.nodeAffinity.required) errs.push(...validateNodeSelector(s.nodeAffinity.required, false, spec.child('nodeAffinity', 'required')));
    else errs.push(required(spec.child('nodeAffinity', 'required'), 'must specify required node constraints'));
  }
  errs.push(...validatePVSource(s, spec));
  if (s.local && !hasNodeAffinity) errs.push(required(spec.child('nodeAffinity'), 'Local volume requires node affinity'));
  if (s.hostPath && s.hostPath.path.replace(/\/+$/, '') === '' && s.hostPath.path.startsWith('/') && reclaim === 'Recycle') {
    errs.push(forbidden(spec.child('persistentVolumeReclaimPolicy'), "may not be 'recycle' for a hostPath mount of '/'"));
  }
  if (s.storageClassName) {
    for (const msg of isDNS1123Subdomain(s.storageClassName)) errs.push(invalid(spec.child('storageClassName'), s.storageClassName, msg));
  }
  if (s.volumeMode !== undefined && s.volumeMode !== null && !VOLUME_MODES.includes(s.volumeMode)) {
    errs.push(notSupported(spec.child('volumeMode'), s.volumeMode, VOLUME_MODES));
  }
  return errs;
}

/** The volume source, mode and (once set) node affinity of a PV never change. */
export function validatePersistentVolumeUpdate(obj: KubeObject, oldObj: KubeObject): FieldError[] {
  const s = (obj as PersistentVolume).spec ?? {};
  const o = (oldObj as PersistentVolume).spec ?? {};
  const errs: FieldError[] = [];
  const pick = (x: PersistentVolumeSpec): Record<string, unknown> => {
    const r = x as unknown as Record<string, unknown>;
    return Object.fromEntries(PV_SOURCES.filter((k) => r[k] !== undefined).map((k) => [k, r[k]]));
  };
  if (!deepEqual(pick(s), pick(o))) {
    errs.push(forbidden(spec.child('persistentvolumesource'), `spec.persistentvolumesource is immutable after creation\n${describeDiff(pick(o), pick(s), 'spec')}`));
  }
  errs.push(...validateImmutableField(s.volumeMode, o.volumeMode, rootPath('volumeMode')));
  if (o.nodeAffinity) errs.push(...validateImmutableField(s.nodeAffinity, o.nodeAffinity, rootPath('nodeAffinity')));
  return errs;
}

export function validatePersistentVolumeClaim(obj: KubeObject): FieldError[] {
  return validatePersistentVolumeClaimSpec((obj as PersistentVolumeClaim).spec, spec);
}

/**
 * A claim's spec is frozen after creation except: volumeName may be set once (binding), and a
 * bound claim may grow its storage request.
 */
export function validatePersistentVolumeClaimUpdate(obj: KubeObject, oldObj: KubeObject): FieldError[] {
  const now = obj as PersistentVolumeClaim;
  const old = oldObj as PersistentVolumeClaim;
  const errs: FieldError[] = [];
  const newSpec = structuredClone(now.spec ?? {});
  const oldSpec = structuredClone(old.spec ?? {});
  if (!oldSpec.volumeName) {
    if (newSpec.volumeName === undefined) delete oldSpec.volumeName;
    else oldSpec.volumeName = newSpec.volumeName;
  }
  const classAnnotation = 'volume.beta.kubernetes.io/storage-class';
  const oldAnn = old.metadata?.annotations?.[classAnnotation];
  const newAnn = now.metadata?.annotations?.[classAnnotation];
  if (oldAnn !== undefined && !oldSpec.storageClassName && newSpec.storageClassName === oldAnn && newAnn === oldAnn) {
    // Moving the beta annotation into the field is allowed.
    delete newSpec.storageClassName;
  } else {
    if ((newAnn ?? '') !== (oldAnn ?? '')) {
      errs.push(invalid(rootPath('metadata').child('annotations').key(classAnnotation), newAnn ?? '', 'field is immutable'));
    }
    if (oldAnn === undefined && (oldSpec.storageClassName === undefined || oldSpec.storageClassName === null) && newSpec.storageClassName) {
      // Setting a class on a claim that never had one is allowed (the default class may arrive later).
      delete newSpec.storageClassName;
    }
  }
  if (now.status?.phase === 'Bound' && newSpec.resources?.requests) {
    const oldStorage = old.spec?.resources?.requests?.['storage'];
    if (oldStorage === undefined) delete newSpec.resources.requests['storage'];
    else newSpec.resources.requests['storage'] = oldStorage;
  }
  if (!deepEqual(newSpec, oldSpec)) {
    errs.push(forbidden(spec, `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${describeDiff(oldSpec, newSpec, 'spec')}`));
  }
  const sink: FieldError[] = [];
  const newSize = quantityAt(now.spec?.resources?.requests?.['storage'] ?? '0', spec, sink);
  const oldSize = quantityAt(old.spec?.resources?.requests?.['storage'] ?? '0', spec, sink);
  if (newSize && oldSize && newSize.cmp(oldSize) < 0) {
    errs.push(forbidden(spec.child('resources', 'requests', 'storage'), 'field can not be less than previous value'));
  }
  errs.push(...validateImmutableField(now.spec?.volumeMode, old.spec?.volumeMode, rootPath('volumeMode')));
  if ((now.spec?.volumeAttributesClassName ?? null) !== (old.spec?.volumeAttributesClassName ?? null)) {
    errs.push(forbidden(spec.child('volumeAttributesClassName'), 'update is forbidden when the VolumeAttributesClass feature gate is disabled'));
  }
  return errs;
}
