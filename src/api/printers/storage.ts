// PersistentVolume / PersistentVolumeClaim (core) and storage.k8s.io printers.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { CSIDriver, CSINode, CSIStorageCapacity, StorageClass, VolumeAttachment } from 'kubernetes-types/storage/v1.js';
import { accessModes, age, quantity } from './format.js';
import { ageColumn, column, nameColumn, type TablePrinter } from './types.js';

const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** The legacy beta annotation takes precedence over spec.storageClassName. */
function storageClassOf(obj: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }): string {
  const annotation = obj.metadata?.annotations?.[BETA_CLASS_ANNOTATION];
  if (annotation !== undefined) return annotation;
  return obj.spec?.storageClassName ?? '';
}

export const persistentVolumePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Capacity', 'string', 'Storage capacity of the volume.'),
    column('Access Modes', 'string', 'Ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'What happens to the volume when its claim is released.'),
    column('Status', 'string', 'Lifecycle phase of the volume.'),
    column('Claim', 'string', 'The claim bound to the volume, as namespace/name.'),
    column('StorageClass', 'string', 'StorageClass of the volume.'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the volume.'),
    column('Reason', 'string', 'Why the volume is in its current phase.'),
    ageColumn,
    column('VolumeMode', 'string', 'Filesystem or Block.', { priority: 1 }),
  ],
  cells(obj, now) {
    const pv = obj as PersistentVolume;
    const ref = pv.spec?.claimRef;
    const claim = ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '';
    const phase = pv.metadata?.deletionTimestamp != null ? 'Terminating' : (pv.status?.phase ?? '');
    return [
      pv.metadata?.name ?? '',
      quantity(pv.spec?.capacity?.storage),
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      phase,
      claim,
      storageClassOf(pv),
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      age(pv, now),
      pv.spec?.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Lifecycle phase of the claim.'),
    column('Volume', 'string', 'The volume bound to the claim.'),
    column('Capacity', 'string', 'Actual capacity of the bound volume.'),
    column('Access Modes', 'string', 'Access modes of the bound volume.'),
    column('StorageClass', 'string', 'StorageClass of the claim.'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the claim.'),
    ageColumn,
    column('VolumeMode', 'string', 'Filesystem or Block.', { priority: 1 }),
  ],
  cells(obj, now) {
    const pvc = obj as PersistentVolumeClaim;
    const phase = pvc.metadata?.deletionTimestamp != null ? 'Terminating' : (pvc.status?.phase ?? '');
    const bound = Boolean(pvc.spec?.volumeName);
    return [
      pvc.metadata?.name ?? '',
      phase,
      pvc.spec?.volumeName ?? '',
      // Capacity and modes come from status, and only once a volume is bound.
      bound ? quantity(pvc.status?.capacity?.storage) : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClassOf(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      age(pvc, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
};

function isDefaultClass(annotations: Record<string, string> | undefined): boolean {
  return (
    annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
  );
}

export const storageClassPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Provisioner', 'string', 'The volume plugin that provisions volumes of this class.'),
    column('ReclaimPolicy', 'string', 'Reclaim policy of volumes provisioned for this class.'),
    column('VolumeBindingMode', 'string', 'When volumes are bound and provisioned.'),
    column('AllowVolumeExpansion', 'string', 'Whether volumes of this class can be expanded.'),
    ageColumn,
  ],
  cells(obj, now) {
    const sc = obj as unknown as StorageClass;
    const name = (sc.metadata?.name ?? '') + (isDefaultClass(sc.metadata?.annotations) ? ' (default)' : '');
    return [
      name,
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false,
      age(sc, now),
    ];
  },
};

export const csiDriverPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('AttachRequired', 'boolean', 'Whether volumes need an attach step.'),
    column('PodInfoOnMount', 'boolean', 'Whether pod details are passed at mount time.'),
    column('StorageCapacity', 'boolean', 'Whether the scheduler considers reported storage capacity.'),
    column('TokenRequests', 'string', 'Audiences of service-account tokens passed to the driver.'),
    column('RequiresRepublish', 'boolean', 'Whether NodePublishVolume is called periodically.'),
    column('Modes', 'string', 'Volume lifecycle modes the driver supports.'),
    ageColumn,
  ],
  cells(obj, now) {
    const d = obj as unknown as CSIDriver;
    const spec = d.spec;
    const modes = (spec?.volumeLifecycleModes ?? []).join(',');
    const tokenRequests = spec?.tokenRequests != null ? spec.tokenRequests.map((t) => t.audience).join(',') : '<unset>';
    return [
      d.metadata?.name ?? '',
      spec?.attachRequired ?? true,
      spec?.podInfoOnMount ?? false,
      spec?.storageCapacity ?? false,
      tokenRequests,
      spec?.requiresRepublish ?? false,
      modes || '<none>',
      age(d, now),
    ];
  },
};

export const csiNodePrinter: TablePrinter = {
  columns: [nameColumn, column('Drivers', 'integer', 'Number of CSI drivers registered on the node.'), ageColumn],
  cells(obj, now) {
    const n = obj as unknown as CSINode;
    return [n.metadata?.name ?? '', (n.spec?.drivers ?? []).length, age(n, now)];
  },
};

export const volumeAttachmentPrinter: TablePrinter = {
  columns: [
    nameColumn,
    // Upstream marks this column with the "name" format too.
    column('Attacher', 'string', 'The CSI driver that attaches the volume.', { format: 'name' }),
    column('PV', 'string', 'The persistent volume being attached.'),
    column('Node', 'string', 'The node the volume is attached to.'),
    column('Attached', 'boolean', 'Whether the attach operation succeeded.'),
    ageColumn,
  ],
  cells(obj, now) {
    const va = obj as unknown as VolumeAttachment;
    return [
      va.metadata?.name ?? '',
      va.spec?.attacher ?? '',
      va.spec?.source?.persistentVolumeName ?? '',
      va.spec?.nodeName ?? '',
      va.status?.attached ?? false,
      age(va, now),
    ];
  },
};

export const csiStorageCapacityPrinter: TablePrinter = {
  // Upstream has no AGE column here.
  columns: [
    nameColumn,
    column('StorageClassName', 'string', 'StorageClass the capacity applies to.'),
    column('Capacity', 'string', 'Reported available capacity.'),
  ],
  cells(obj, _now) {
    const c = obj as unknown as CSIStorageCapacity;
    return [c.metadata?.name ?? '', c.storageClassName ?? '', c.capacity != null ? quantity(c.capacity) : '<unset>'];
  },
};
