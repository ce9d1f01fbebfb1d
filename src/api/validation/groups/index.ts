// Validation for every non-core kind, keyed by GroupKind ("Deployment.apps").
//
// Contract, matching KindBehaviour (src/api/kinds/types.ts): on create the registry calls validate;
// on update it calls validate and then validateUpdate, which returns only the update-specific
// errors (immutable fields, forbidden transitions). validateStatusUpdate is for the status
// subresource. Metadata (including the name, through nameValidator) is validated generically.
import type { GroupValidator } from './common.js';
import { admissionValidators } from './admissionregistration.js';
import { apiextensionsValidators } from './apiextensions.js';
import { appsValidators } from './apps.js';
import { autoscalingValidators } from './autoscaling.js';
import { certificatesValidators } from './certificates.js';
import { cronJobValidators } from './cronjob.js';
import { jobValidators } from './job.js';
import { miscValidators } from './misc.js';
import { networkingValidators } from './networking.js';
import { policyValidators } from './policy.js';
import { rbacValidators } from './rbac.js';
import { statefulSetValidators } from './statefulset.js';
import { storageValidators } from './storage.js';

export type { GroupValidator } from './common.js';
export { validateCronJobUpdate } from './cronjob.js';

export const groupValidators: Record<string, GroupValidator> = {
  ...appsValidators,
  ...statefulSetValidators,
  ...jobValidators,
  ...cronJobValidators,
  ...autoscalingValidators,
  ...policyValidators,
  ...rbacValidators,
  ...networkingValidators,
  ...storageValidators,
  ...miscValidators,
  ...certificatesValidators,
  ...admissionValidators,
  ...apiextensionsValidators,
};
