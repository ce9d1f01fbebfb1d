// core/v1 validators by Kind. Metadata is checked by the caller with validateObjectMeta and the
// nameValidator given here; these functions check everything else.
import type { FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { type NameValidator, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain } from '../names.js';
import { validateBinding, validateEndpoints, validateEvent, validateNamespace, validateNamespaceStatusUpdate, validateNode, validateNodeUpdate } from './cluster.js';
import { validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate } from './config.js';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from './pod.js';
import { validateLimitRange, validateResourceQuota, validateResourceQuotaUpdate } from './policy.js';
import { validateService, validateServiceStatusUpdate, validateServiceUpdate } from './service.js';
import {
  validatePersistentVolume, validatePersistentVolumeClaim, validatePersistentVolumeClaimUpdate, validatePersistentVolumeUpdate,
} from './storage.js';
import { validatePodTemplate, validateReplicationController, validateReplicationControllerStatusUpdate } from './workloads.js';

export interface CoreKindValidator {
  validate?(obj: KubeObject): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  nameValidator: NameValidator;
}

export const coreValidators: Record<string, CoreKindValidator> = {
  Pod: { validate: validatePod, validateUpdate: validatePodUpdate, validateStatusUpdate: validatePodStatusUpdate, nameValidator: nameIsDNSSubdomain },
  PodTemplate: { validate: validatePodTemplate, nameValidator: nameIsDNSSubdomain },
  ReplicationController: {
    validate: validateReplicationController,
    validateStatusUpdate: validateReplicationControllerStatusUpdate,
    nameValidator: nameIsDNSSubdomain,
  },
  Service: { validate: validateService, validateUpdate: validateServiceUpdate, validateStatusUpdate: validateServiceStatusUpdate, nameValidator: nameIsDNS1035Label },
  Endpoints: { validate: validateEndpoints, nameValidator: nameIsDNSSubdomain },
  Node: { validate: validateNode, validateUpdate: validateNodeUpdate, validateStatusUpdate: validateNodeUpdate, nameValidator: nameIsDNSSubdomain },
  Namespace: { validate: validateNamespace, validateStatusUpdate: validateNamespaceStatusUpdate, nameValidator: nameIsDNSLabel },
  Secret: { validate: validateSecret, validateUpdate: validateSecretUpdate, nameValidator: nameIsDNSSubdomain },
  ConfigMap: { validate: validateConfigMap, validateUpdate: validateConfigMapUpdate, nameValidator: nameIsDNSSubdomain },
  ServiceAccount: { nameValidator: nameIsDNSSubdomain },
  PersistentVolume: { validate: validatePersistentVolume, validateUpdate: validatePersistentVolumeUpdate, nameValidator: nameIsDNSSubdomain },
  PersistentVolumeClaim: {
    validate: validatePersistentVolumeClaim,
    validateUpdate: validatePersistentVolumeClaimUpdate,
    nameValidator: nameIsDNSSubdomain,
  },
  LimitRange: { validate: validateLimitRange, nameValidator: nameIsDNSSubdomain },
  ResourceQuota: { validate: validateResourceQuota, validateUpdate: validateResourceQuotaUpdate, nameValidator: nameIsDNSSubdomain },
  Event: { validate: validateEvent, nameValidator: nameIsDNSSubdomain },
  Binding: { validate: validateBinding, nameValidator: nameIsDNSSubdomain },
  ComponentStatus: { nameValidator: nameIsDNSSubdomain },
};

export { validatePodSpec, validatePodTemplateSpec } from './pod-spec.js';
export { validatePersistentVolumeClaimSpec } from './pvc-spec.js';
export { validateContainerResources, validateResourceName } from './resources.js';
export { validateNodeSelector, validateTolerations, validateAffinity } from './scheduling.js';
