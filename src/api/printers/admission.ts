// admissionregistration.k8s.io printers: webhook configurations and validating admission policies.
import type {
  MutatingWebhookConfiguration,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from 'kubernetes-types/admissionregistration/v1.js';
import { age, goLabelSelectorStruct } from './format.js';
import { ageColumn, column, nameColumn, type TablePrinter } from './types.js';

export const webhookConfigurationPrinter: TablePrinter = {
  columns: [nameColumn, column('Webhooks', 'integer', 'Number of webhooks in the configuration.'), ageColumn],
  cells(obj, now) {
    const cfg = obj as MutatingWebhookConfiguration;
    return [cfg.metadata?.name ?? '', (cfg.webhooks ?? []).length, age(cfg, now)];
  },
};

export const validatingAdmissionPolicyPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Validations', 'integer', 'Number of validation rules in the policy.'),
    column('ParamKind', 'string', 'Kind of the resources that parameterize the policy.'),
    ageColumn,
  ],
  cells(obj, now) {
    const policy = obj as ValidatingAdmissionPolicy;
    const pk = policy.spec?.paramKind;
    const paramKind = pk ? `${pk.apiVersion ?? ''}/${pk.kind ?? ''}` : '<unset>';
    return [policy.metadata?.name ?? '', (policy.spec?.validations ?? []).length, paramKind, age(policy, now)];
  },
};

export const validatingAdmissionPolicyBindingPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('PolicyName', 'string', 'The policy this binding applies.'),
    column('ParamRef', 'string', 'The parameter resource the binding supplies.'),
    ageColumn,
  ],
  cells(obj, now) {
    const binding = obj as ValidatingAdmissionPolicyBinding;
    const ref = binding.spec?.paramRef;
    let param = '<unset>';
    if (ref?.name) {
      // A namespace-less name may be cluster-scoped or per-namespace, so upstream shows "*/".
      param = ref.namespace ? `${ref.namespace}/${ref.name}` : `*/${ref.name}`;
    } else if (ref?.selector) {
      param = goLabelSelectorStruct(ref.selector);
    }
    return [binding.metadata?.name ?? '', binding.spec?.policyName ?? '', param, age(binding, now)];
  },
};
