// PodTemplate and ReplicationController.
import type { PodTemplate, ReplicationController, ReplicationControllerStatus } from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, forbidden, invalid, notSupported, required, rootPath } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validateLabels } from '../meta.js';
import { asRecord, validateNonnegativeField } from './common.js';
import { validatePodTemplateSpec } from './pod-spec.js';

export function validatePodTemplate(obj: KubeObject): FieldError[] {
  return validatePodTemplateSpec((obj as PodTemplate).template, rootPath('template'));
}

/** Replication controllers select by plain equality, so the selector must be a subset of the template labels. */
function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function validateReplicationController(obj: KubeObject): FieldError[] {
  const rc = obj as ReplicationController;
  const spec = rc.spec ?? {};
  const path = rootPath('spec');
  const errs: FieldError[] = [];
  errs.push(...validateNonnegativeField(spec.minReadySeconds, path.child('minReadySeconds')));
  const selector = asRecord(spec.selector);
  if (Object.keys(selector).length === 0) errs.push(required(path.child('selector')));
  errs.push(...validateLabels(spec.selector, path.child('selector')));
  errs.push(...validateNonnegativeField(spec.replicas, path.child('replicas')));
  const tp = path.child('template');
  const template = spec.template;
  if (!template) {
    errs.push(required(tp));
    return errs;
  }
  const labels = asRecord(template.metadata?.labels);
  if (Object.keys(selector).length > 0 && !selectorMatches(selector, labels)) {
    errs.push(invalid(tp.child('metadata', 'labels'), labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, tp));
  const restart = template.spec?.restartPolicy ?? '';
  if (restart !== 'Always') errs.push(notSupported(tp.child('spec', 'restartPolicy'), restart, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(tp.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

/** Shared by RC and ReplicaSet-like statuses: counts non-negative and consistent. */
export function validateReplicaCounts(status: ReplicationControllerStatus | undefined, path: FieldPath): FieldError[] {
  const s = status ?? { replicas: 0 };
  const errs: FieldError[] = [];
  errs.push(...validateNonnegativeField(s.replicas, path.child('replicas')));
  errs.push(...validateNonnegativeField(s.fullyLabeledReplicas, path.child('fullyLabeledReplicas')));
  errs.push(...validateNonnegativeField(s.readyReplicas, path.child('readyReplicas')));
  errs.push(...validateNonnegativeField(s.availableReplicas, path.child('availableReplicas')));
  errs.push(...validateNonnegativeField(s.observedGeneration, path.child('observedGeneration')));
  const replicas = s.replicas ?? 0;
  const msg = 'cannot be greater than status.replicas';
  if ((s.fullyLabeledReplicas ?? 0) > replicas) errs.push(invalid(path.child('fullyLabeledReplicas'), s.fullyLabeledReplicas, msg));
  if ((s.readyReplicas ?? 0) > replicas) errs.push(invalid(path.child('readyReplicas'), s.readyReplicas, msg));
  if ((s.availableReplicas ?? 0) > replicas) errs.push(invalid(path.child('availableReplicas'), s.availableReplicas, msg));
  if ((s.availableReplicas ?? 0) > (s.readyReplicas ?? 0)) {
    errs.push(invalid(path.child('availableReplicas'), s.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return errs;
}

export function validateReplicationControllerStatusUpdate(obj: KubeObject): FieldError[] {
  return validateReplicaCounts((obj as ReplicationController).status, rootPath('status'));
}
