// Pod volumes: unique DNS-1123 label names and exactly one source each, plus per-source rules
// for the sources people actually use (emptyDir, hostPath, secret, configMap, PVC, projected...).
import type { DownwardAPIVolumeFile, KeyToPath, Volume, VolumeProjection } from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, duplicate, forbidden, invalid, notSupported, required, tooLong } from '../../field-errors.js';
import { isDNS1123Subdomain } from '../names.js';
import {
  asArray, validateDNS1123Label, validateFileMode, validateLocalNonReservedPath, validatePathNoBacksteps,
} from './common.js';
import { quantityAt } from './resources.js';
import { validatePersistentVolumeClaimSpec } from './pvc-spec.js';

/** Every volume source key in upstream's checking order. */
const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flexVolume', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'azureFile',
  'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'projected', 'scaleIO',
  'configMap', 'csi', 'ephemeral', 'image',
] as const;

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Validates the list and returns the names of volumes that passed (mounts may only use those). */
export function validateVolumes(volumes: Volume[] | undefined, path: FieldPath): { errors: FieldError[]; names: Map<string, Volume> } {
  const errors: FieldError[] = [];
  const names = new Map<string, Volume>();
  asArray(volumes).forEach((vol, i) => {
    const p = path.index(i);
    const errs = validateVolumeSource(vol, p);
    if (!vol.name) errs.push(required(p.child('name')));
    else errs.push(...validateDNS1123Label(vol.name, p.child('name')));
    if (names.has(vol.name)) errs.push(duplicate(p.child('name'), vol.name));
    if (errs.length === 0) names.set(vol.name, vol);
    else errors.push(...errs);
  });
  return { errors, names };
}

function validateVolumeSource(vol: Volume, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  const source = vol as unknown as Record<string, unknown>;
  for (const key of VOLUME_SOURCES) {
    if (source[key] === undefined || source[key] === null) continue;
    if (count > 0) {
      errs.push(forbidden(path.child(key), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateOneSource(key, vol, path.child(key)));
  }
  if (count === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

function validateOneSource(key: (typeof VOLUME_SOURCES)[number], vol: Volume, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  switch (key) {
    case 'emptyDir': {
      const limit = vol.emptyDir?.sizeLimit;
      if (limit !== undefined) {
        const q = quantityAt(limit, path.child('sizeLimit'), errs);
        if (q && q.sign() < 0) errs.push(forbidden(path.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
      }
      break;
    }
    case 'hostPath': {
      const hp = vol.hostPath!;
      if (!hp.path) return [required(path.child('path'))];
      errs.push(...validatePathNoBacksteps(hp.path, path.child('path')));
      if (hp.type !== undefined && hp.type !== null && !HOST_PATH_TYPES.includes(hp.type)) {
        errs.push(notSupported(path.child('type'), hp.type, HOST_PATH_TYPES));
      }
      break;
    }
    case 'secret': {
      const s = vol.secret!;
      if (!s.secretName) errs.push(required(path.child('secretName')));
      errs.push(...validateFileMode(s.defaultMode, path.child('defaultMode')));
      asArray(s.items).forEach((kp, i) => errs.push(...validateKeyToPath(kp, path.child('items').index(i))));
      break;
    }
    case 'configMap': {
      const c = vol.configMap!;
      if (!c.name) errs.push(required(path.child('name')));
      errs.push(...validateFileMode(c.defaultMode, path.child('defaultMode')));
      asArray(c.items).forEach((kp, i) => errs.push(...validateKeyToPath(kp, path.child('items').index(i))));
      break;
    }
    case 'persistentVolumeClaim':
      if (!vol.persistentVolumeClaim!.claimName) errs.push(required(path.child('claimName')));
      break;
    case 'nfs': {
      const n = vol.nfs!;
      if (!n.server) errs.push(required(path.child('server')));
      if (!n.path) errs.push(required(path.child('path')));
      else if (!n.path.startsWith('/')) errs.push(invalid(path.child('path'), n.path, 'must be an absolute path'));
      break;
    }
    case 'downwardAPI': {
      const d = vol.downwardAPI!;
      errs.push(...validateFileMode(d.defaultMode, path.child('defaultMode')));
      asArray(d.items).forEach((f, i) => errs.push(...validateDownwardAPIFile(f, path.child('items').index(i))));
      break;
    }
    case 'projected':
      errs.push(...validateProjected(vol, path));
      break;
    case 'csi': {
      const c = vol.csi!;
      if (!c.driver) errs.push(required(path.child('driver')));
      else errs.push(...validateCSIDriverName(c.driver, path.child('driver')));
      break;
    }
    case 'ephemeral': {
      const tmpl = vol.ephemeral!.volumeClaimTemplate;
      if (!tmpl) {
        errs.push(required(path.child('volumeClaimTemplate')));
      } else {
        errs.push(...validatePersistentVolumeClaimSpec(tmpl.spec, path.child('volumeClaimTemplate', 'spec')));
      }
      break;
    }
    case 'image':
      if (!(vol as { image?: { reference?: string } }).image?.reference) errs.push(required(path.child('reference')));
      break;
    default:
      break;
  }
  return errs;
}

export function validateKeyToPath(kp: KeyToPath, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) errs.push(required(path.child('key')));
  if (!kp.path) errs.push(required(path.child('path')));
  errs.push(...validateLocalNonReservedPath(kp.path ?? '', path.child('path')));
  errs.push(...validateFileMode(kp.mode, path.child('mode')));
  return errs;
}

function validateDownwardAPIFile(f: DownwardAPIVolumeFile, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!f.path) errs.push(required(path.child('path')));
  errs.push(...validateLocalNonReservedPath(f.path ?? '', path.child('path')));
  errs.push(...validateFileMode(f.mode, path.child('mode')));
  if (f.fieldRef && f.resourceFieldRef) {
    errs.push(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (!f.fieldRef && !f.resourceFieldRef) {
    errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  return errs;
}

function validateProjected(vol: Volume, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const pr = vol.projected!;
  errs.push(...validateFileMode(pr.defaultMode, path.child('defaultMode')));
  const allPaths = new Set<string>();
  asArray(pr.sources).forEach((src: VolumeProjection, i) => {
    const p = path.child('sources').index(i);
    const kinds = (['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle'] as const).filter((k) => src[k]);
    if (kinds.length === 0) errs.push(required(p, 'must specify exactly 1 projected type'));
    for (const extra of kinds.slice(1)) errs.push(forbidden(p.child(extra), 'may not specify more than 1 volume type per source'));
    const itemsOf = (items: { path?: string }[] | undefined, base: FieldPath): void => {
      asArray(items).forEach((it, j) => {
        const ip = base.child('items').index(j);
        if (it.path && allPaths.has(it.path)) errs.push(invalid(ip.child('path'), it.path, 'conflicting duplicate paths'));
        if (it.path) allPaths.add(it.path);
      });
    };
    if (src.secret) {
      const sp = p.child('secret');
      if (!src.secret.name) errs.push(required(sp.child('name')));
      asArray(src.secret.items).forEach((kp, j) => errs.push(...validateKeyToPath(kp, sp.child('items').index(j))));
      itemsOf(src.secret.items, sp);
    }
    if (src.configMap) {
      const cp = p.child('configMap');
      if (!src.configMap.name) errs.push(required(cp.child('name')));
      asArray(src.configMap.items).forEach((kp, j) => errs.push(...validateKeyToPath(kp, cp.child('items').index(j))));
      itemsOf(src.configMap.items, cp);
    }
    if (src.downwardAPI) {
      const dp = p.child('downwardAPI');
      asArray(src.downwardAPI.items).forEach((f, j) => errs.push(...validateDownwardAPIFile(f, dp.child('items').index(j))));
      itemsOf(src.downwardAPI.items, dp);
    }
    if (src.serviceAccountToken) {
      const tp = p.child('serviceAccountToken');
      const t = src.serviceAccountToken;
      if (t.expirationSeconds !== undefined) {
        if (t.expirationSeconds < 10 * 60) errs.push(invalid(tp.child('expirationSeconds'), t.expirationSeconds, 'may not specify a duration less than 10 minutes'));
        if (t.expirationSeconds > 2 ** 32) errs.push(invalid(tp.child('expirationSeconds'), t.expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
      }
      if (!t.path) errs.push(required(tp.child('path')));
      else if (allPaths.has(t.path)) errs.push(invalid(tp.child('path'), t.path, 'conflicting duplicate paths'));
      if (t.path) allPaths.add(t.path);
    }
  });
  return errs;
}

/** CSI driver names are DNS subdomains of at most 63 characters. */
export function validateCSIDriverName(driver: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (driver.length > 63) errs.push(tooLong(path, driver, 63));
  for (const msg of isDNS1123Subdomain(driver.toLowerCase())) errs.push(invalid(path, driver, msg));
  return errs;
}
