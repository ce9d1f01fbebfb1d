// storage.k8s.io/v1 StorageClass, CSIDriver, CSINode, VolumeAttachment, CSIStorageCapacity
// (upstream pkg/apis/storage/validation).
import { FieldPath, duplicate, forbidden, invalid, notSupported, required, tooLong, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { tryParseQuantity } from '../../units/quantity.js';
import { validateLabelSelector } from '../meta.js';
import { isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain, type NameValidator } from '../names.js';
import { arr, deepEqual, each, immutable, nonNegative, o, root, str, strMap, type GroupValidator, type Obj } from './common.js';
import { goPointer, goQuote, invalidRendered } from './go-format.js';

const present = (v: unknown): boolean => v !== undefined && v !== null;
const MAX_PARAMETER_COUNT = 512;
const MAX_PARAMETER_BYTES = 256 * 1024;
const CSI_DRIVER_NAME_MAX = 63;
const CSI_NODE_ID_MAX = 192;

// ---------------- StorageClass ----------------

function validateStorageClass(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = str(obj.provisioner);
  if (provisioner === '') errs.push(required(root('provisioner')));
  else errs.push(...each(root('provisioner'), provisioner.toLowerCase(), isQualifiedName(provisioner.toLowerCase())));

  const params = strMap(obj.parameters) ?? {};
  const keys = Object.keys(params);
  if (keys.length > MAX_PARAMETER_COUNT) {
    errs.push(tooLong(root('parameters'), 'Provisioner Parameters exceeded max allowed', MAX_PARAMETER_COUNT));
  } else {
    let size = 0;
    for (const k of keys) {
      if (k.length < 1) errs.push(invalid(root('parameters'), k, 'field can not be empty.'));
      size += Buffer.byteLength(k) + Buffer.byteLength(String(params[k]));
    }
    if (size > MAX_PARAMETER_BYTES) errs.push(tooLong(root('parameters'), '', MAX_PARAMETER_BYTES));
  }

  const reclaim = str(obj.reclaimPolicy);
  if (reclaim !== '' && reclaim !== 'Delete' && reclaim !== 'Retain') errs.push(notSupported(root('reclaimPolicy'), reclaim, ['Delete', 'Retain']));
  if (!present(obj.volumeBindingMode)) errs.push(required(root('volumeBindingMode')));
  else if (!['Immediate', 'WaitForFirstConsumer'].includes(str(obj.volumeBindingMode))) {
    errs.push(notSupported(root('volumeBindingMode'), obj.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  }
  errs.push(...validateAllowedTopologies(obj.allowedTopologies));
  return errs;
}

function validateAllowedTopologies(topologies: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const path = root('allowedTopologies');
  arr(topologies).forEach((raw, i) => {
    const terms = arr(o(raw).matchLabelExpressions);
    const termPath = path.index(i).child('matchLabelExpressions');
    if (terms.length === 0) errs.push(required(path.index(i), 'must have at least one label expression'));
    const seenKeys = new Set<string>();
    terms.forEach((t, j) => {
      const term = o(t);
      const key = str(term.key);
      errs.push(...each(termPath.index(j).child('key'), key, isQualifiedName(key)));
      if (seenKeys.has(key)) errs.push(duplicate(termPath.index(j).child('key'), key));
      seenKeys.add(key);
      const values = arr(term.values);
      if (values.length === 0) errs.push(required(termPath.index(j).child('values'), 'must specify as least one value'));
    });
  });
  return errs;
}

function validateStorageClassUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!deepEqual(obj.parameters ?? {}, old.parameters ?? {})) errs.push(forbidden(root('parameters'), 'updates to parameters are forbidden.'));
  if (str(obj.provisioner) !== str(old.provisioner)) errs.push(forbidden(root('provisioner'), 'updates to provisioner are forbidden.'));
  if (str(obj.reclaimPolicy) !== str(old.reclaimPolicy)) errs.push(forbidden(root('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
  errs.push(...immutable(obj.volumeBindingMode, old.volumeBindingMode, root('volumeBindingMode')));
  return errs;
}

// ---------------- CSI driver names ----------------

/** ValidateCSIDriverName as field errors. */
function validateCSIDriverName(name: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (name === '') errs.push(required(path));
  if (name.length > CSI_DRIVER_NAME_MAX) errs.push(tooLong(path, name, CSI_DRIVER_NAME_MAX));
  errs.push(...each(path, name, isDNS1123Subdomain(name.toLowerCase())));
  return errs;
}

/** The CSIDriver object name is the driver name: case-insensitive DNS subdomain of at most 63 characters. */
const csiDriverNameValidator: NameValidator = (name) => {
  const msgs: string[] = [];
  if (name.length > CSI_DRIVER_NAME_MAX) msgs.push(`must be no more than ${CSI_DRIVER_NAME_MAX} characters`);
  return [...msgs, ...isDNS1123Subdomain(name.toLowerCase())];
};

// ---------------- CSIDriver ----------------

const FS_GROUP_POLICIES = ['File', 'None', 'ReadWriteOnceWithFSType'];

function validateCSIDriverSpec(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  // Upstream names this path "attachedRequired" (sic).
  if (!present(s.attachRequired)) errs.push(required(path.child('attachedRequired')));
  if (!present(s.podInfoOnMount)) errs.push(required(path.child('podInfoOnMount')));
  if (!present(s.storageCapacity)) errs.push(required(path.child('storageCapacity')));
  if (!present(s.fsGroupPolicy)) errs.push(required(path.child('fsGroupPolicy')));
  else if (!FS_GROUP_POLICIES.includes(str(s.fsGroupPolicy))) errs.push(notSupported(path.child('fsGroupPolicy'), s.fsGroupPolicy, FS_GROUP_POLICIES));
  const audiences = new Set<string>();
  arr(s.tokenRequests).forEach((raw, i) => {
    const t = o(raw);
    const tp = path.child('tokenRequests').index(i);
    const audience = str(t.audience);
    if (audiences.has(audience)) errs.push(duplicate(tp.child('audience'), audience));
    audiences.add(audience);
    const seconds = t.expirationSeconds;
    if (typeof seconds === 'number') {
      if (seconds < 10 * 60) errs.push(invalid(tp.child('expirationSeconds'), seconds, 'may not specify a duration less than 10 minutes'));
      if (seconds > 2 ** 32) errs.push(invalid(tp.child('expirationSeconds'), seconds, 'may not specify a duration larger than 2^32 seconds'));
    }
  });
  for (const m of arr(s.volumeLifecycleModes)) {
    if (m !== 'Persistent' && m !== 'Ephemeral') errs.push(notSupported(path.child('volumeLifecycleModes'), m, ['Ephemeral', 'Persistent']));
  }
  return errs;
}

const csiDriver: GroupValidator = {
  nameValidator: csiDriverNameValidator,
  validate: (obj) => validateCSIDriverSpec(o(obj.spec), root('spec')),
  validateUpdate(obj, old) {
    const s = o(obj.spec);
    const os = o(old.spec);
    return [
      ...immutable(s.attachRequired, os.attachRequired, root('spec').child('attachedRequired')),
      ...immutable(s.volumeLifecycleModes, os.volumeLifecycleModes, root('spec').child('volumeLifecycleModes'), (v) =>
        Array.isArray(v) ? `[]storage.VolumeLifecycleMode{${v.map((m) => goQuote(String(m))).join(', ')}}` : '[]storage.VolumeLifecycleMode(nil)',
      ),
    ];
  },
};

// ---------------- CSINode ----------------

function validateCSINode(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const path = root('spec').child('drivers');
  const names = new Set<string>();
  arr(o(obj.spec).drivers).forEach((raw, i) => {
    const d = o(raw);
    const dp = path.index(i);
    const name = str(d.name);
    errs.push(...validateCSIDriverName(name, dp.child('name')));
    if (names.has(name)) errs.push(duplicate(dp.child('name'), name));
    names.add(name);
    const nodeID = str(d.nodeID);
    if (nodeID === '') errs.push(required(dp.child('nodeID'), nodeID));
    else if (nodeID.length > CSI_NODE_ID_MAX) errs.push(invalid(dp.child('nodeID'), nodeID, `must be ${CSI_NODE_ID_MAX} characters or less`));
    const keys = new Set<string>();
    for (const k of arr(d.topologyKeys)) {
      const key = str(k);
      if (key === '') errs.push(required(dp.child('topologyKeys'), key));
      if (keys.has(key)) errs.push(duplicate(dp.child('topologyKeys'), key));
      keys.add(key);
      errs.push(...each(dp.child('topologyKeys'), key, isQualifiedName(key)));
    }
    const count = o(d.allocatable).count;
    if (present(count)) errs.push(...nonNegative(count, dp.child('allocatable', 'count')));
  });
  return errs;
}

function validateCSINodeUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const oldDrivers = new Map(arr(o(old.spec).drivers).map((d) => [str(o(d).name), o(d)] as const));
  arr(o(obj.spec).drivers).forEach((raw, i) => {
    const d = o(raw);
    const before = oldDrivers.get(str(d.name));
    if (!before) return;
    const dp = root('spec').child('drivers').index(i);
    if (str(d.nodeID) !== str(before.nodeID)) errs.push(invalid(dp.child('nodeID'), str(d.nodeID), 'field is immutable'));
    if (!deepEqual(d.topologyKeys ?? [], before.topologyKeys ?? [])) {
      errs.push(invalidRendered(dp.child('topologyKeys'), d.topologyKeys, `[]string{${arr(d.topologyKeys).map((k) => goQuote(str(k))).join(', ')}}`, 'field is immutable'));
    }
    if (!deepEqual(d.allocatable, before.allocatable)) {
      errs.push(invalidRendered(dp.child('allocatable'), d.allocatable, goPointer('storage.VolumeNodeResources', present(d.allocatable)), 'field is immutable'));
    }
  });
  return errs;
}

// ---------------- VolumeAttachment ----------------

function renderAttachmentSpec(s: Obj): string {
  const src = o(s.source);
  return (
    `storage.VolumeAttachmentSpec{Attacher:${goQuote(str(s.attacher))}, Source:storage.VolumeAttachmentSource{` +
    `PersistentVolumeName:${goPointer('string', present(src.persistentVolumeName))}, InlineVolumeSpec:${goPointer('core.PersistentVolumeSpec', present(src.inlineVolumeSpec))}}, ` +
    `NodeName:${goQuote(str(s.nodeName))}}`
  );
}

function validateVolumeAttachment(obj: KubeObject): FieldError[] {
  const s = o(obj.spec);
  const path = root('spec');
  const errs: FieldError[] = [];
  const attacher = str(s.attacher);
  if (attacher === '') errs.push(required(path.child('attacher')));
  const source = o(s.source);
  const hasPV = present(source.persistentVolumeName);
  const hasInline = present(source.inlineVolumeSpec);
  const sourceMsg = 'must specify exactly one of inlineVolumeSpec and persistentVolumeName';
  if (!hasPV && !hasInline) errs.push(required(path.child('source'), sourceMsg));
  else if (hasPV && hasInline) errs.push(forbidden(path.child('source'), sourceMsg));
  else if (hasPV && str(source.persistentVolumeName) === '') errs.push(required(path.child('source', 'persistentVolumeName'), 'must specify non empty persistentVolumeName'));
  const nodeName = str(s.nodeName);
  errs.push(...each(path.child('nodeName'), nodeName, isDNS1123Subdomain(nodeName)));
  // The v1 extras: the attacher must be a CSI driver name, the PV name a DNS subdomain.
  errs.push(...validateCSIDriverName(attacher, new FieldPath('spec.attacher')));
  if (hasPV && str(source.persistentVolumeName) !== '') {
    const pv = str(source.persistentVolumeName);
    errs.push(...each(new FieldPath('spec.source.persistentVolumeName'), pv, isDNS1123Subdomain(pv)));
  }
  return errs;
}

const volumeAttachment: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate: validateVolumeAttachment,
  validateUpdate(obj, old) {
    if (deepEqual(obj.spec, old.spec)) return [];
    return [invalidRendered(root('spec'), obj.spec, renderAttachmentSpec(o(obj.spec)), 'field is immutable')];
  },
};

// ---------------- CSIStorageCapacity ----------------

function nonNegativeQuantity(value: unknown, path: FieldPath): FieldError[] {
  if (!present(value)) return [];
  const q = tryParseQuantity(value);
  if (q && q.sign() < 0) return [invalid(path, q.toString(), 'must be greater than or equal to 0')];
  return [];
}

const csiStorageCapacity: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate(obj) {
    const errs = present(obj.nodeTopology) ? validateLabelSelector(obj.nodeTopology as never, root('nodeTopology')) : [];
    const className = str(obj.storageClassName);
    errs.push(...each(root('storageClassName'), className, isDNS1123Subdomain(className)));
    errs.push(...nonNegativeQuantity(obj.capacity, root('capacity')), ...nonNegativeQuantity(obj.maximumVolumeSize, root('maximumVolumeSize')));
    return errs;
  },
  validateUpdate: (obj, old) => [
    ...immutable(obj.nodeTopology, old.nodeTopology, root('nodeTopology'), () => '&v1.LabelSelector{...}'),
    ...immutable(str(obj.storageClassName), str(old.storageClassName), root('storageClassName')),
  ],
};

export const storageValidators: Record<string, GroupValidator> = {
  'StorageClass.storage.k8s.io': { nameValidator: nameIsDNSSubdomain, validate: validateStorageClass, validateUpdate: validateStorageClassUpdate },
  'CSIDriver.storage.k8s.io': csiDriver,
  'CSINode.storage.k8s.io': { nameValidator: nameIsDNSSubdomain, validate: validateCSINode, validateUpdate: validateCSINodeUpdate },
  'VolumeAttachment.storage.k8s.io': volumeAttachment,
  'CSIStorageCapacity.storage.k8s.io': csiStorageCapacity,
};
