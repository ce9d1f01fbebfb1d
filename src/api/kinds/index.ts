// One KindBehaviour per stored kind, assembled from the defaulting, strategy and validation
// modules. Keys are upstream's GroupKind strings: "Pod", "Deployment.apps".
import { defaulters } from '../defaults/index.js';
import { prepareHooks } from '../defaults/prepare.js';
import type { FieldError } from '../field-errors.js';
import { groupKind, type KubeObject } from '../object.js';
import { coreValidators } from '../validation/core/index.js';
import { groupValidators } from '../validation/groups/index.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/meta.js';
import { nameIsDNSSubdomain, type NameValidator } from '../validation/names.js';
import type { KindBehaviour } from './types.js';

export function behaviourFor(group: string, kind: string): KindBehaviour {
  const key = groupKind(group, kind);
  const validators = group === '' ? coreValidators[kind] : groupValidators[key];
  const hooks = prepareHooks[key];
  return {
    setDefaults: defaulters[key],
    keepStatusOnCreate: hooks?.keepStatusOnCreate,
    prepareForCreate: hooks?.prepareForCreate,
    prepareForUpdate: hooks?.prepareForUpdate,
    prepareForStatusUpdate: hooks?.prepareForStatusUpdate,
    validate: validators?.validate,
    validateUpdate: validators?.validateUpdate,
    validateStatusUpdate: validators?.validateStatusUpdate,
  };
}

export function nameValidatorFor(group: string, kind: string): NameValidator {
  const validators = group === '' ? coreValidators[kind] : groupValidators[groupKind(group, kind)];
  return validators?.nameValidator ?? nameIsDNSSubdomain;
}

/** Metadata rules every kind shares, with the kind's own name rule. */
export function metaValidator(group: string, kind: string, namespaced: boolean): (obj: KubeObject, old?: KubeObject) => FieldError[] {
  const nameValidator = nameValidatorFor(group, kind);
  return (obj, old) => {
    const errors = validateObjectMeta(obj.metadata ?? {}, { namespaced, nameValidator });
    if (old) errors.push(...validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {}));
    return errors;
  };
}
