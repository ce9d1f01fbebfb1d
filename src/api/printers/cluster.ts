// Printers for small cluster-level groups: policy, rbac bindings, coordination,
// scheduling, node.k8s.io and certificates.
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { RuntimeClass } from 'kubernetes-types/node/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { age, humanDuration, intOrString } from './format.js';
import { ageColumn, column, nameColumn, wideColumn, type TablePrinter } from './types.js';

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Min Available', 'string', 'Pods that must stay available.'),
    column('Max Unavailable', 'string', 'Pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Pod disruptions currently allowed.'),
    ageColumn,
  ],
  cells(obj, now) {
    const pdb = obj as PodDisruptionBudget;
    const min = pdb.spec?.minAvailable;
    const max = pdb.spec?.maxUnavailable;
    return [
      pdb.metadata?.name ?? '',
      min != null ? intOrString(min) : 'N/A',
      max != null ? intOrString(max) : 'N/A',
      pdb.status?.disruptionsAllowed ?? 0,
      age(pdb, now),
    ];
  },
};

/** rbac SubjectsStrings: users, groups and "namespace:name" service accounts. */
function subjectLists(subjects: readonly Subject[] | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') serviceAccounts.push(`${s.namespace ?? ''}:${s.name}`);
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

function bindingPrinter(scope: string): TablePrinter {
  return {
    columns: [
      nameColumn,
      column('Role', 'string', 'The role being granted, as Kind/name.'),
      ageColumn,
      wideColumn('Users', `Users in the ${scope}.`),
      wideColumn('Groups', `Groups in the ${scope}.`),
      wideColumn('ServiceAccounts', `ServiceAccounts in the ${scope}.`),
    ],
    cells(obj, now) {
      const binding = obj as unknown as RoleBinding;
      const [users, groups, serviceAccounts] = subjectLists(binding.subjects);
      return [
        binding.metadata?.name ?? '',
        `${binding.roleRef?.kind ?? ''}/${binding.roleRef?.name ?? ''}`,
        age(binding, now),
        users,
        groups,
        serviceAccounts,
      ];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');

export const leasePrinter: TablePrinter = {
  columns: [nameColumn, column('Holder', 'string', 'Identity currently holding the lease.'), ageColumn],
  cells(obj, now) {
    const lease = obj as Lease;
    return [lease.metadata?.name ?? '', lease.spec?.holderIdentity ?? '', age(lease, now)];
  },
};

export const priorityClassPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Value', 'integer', 'Priority given to pods of this class.'),
    column('Global-Default', 'boolean', 'Whether pods without a class get this one.'),
    ageColumn,
    // Upstream leaves this column at priority 0 even though it fills it only when wide.
    column('PreemptionPolicy', 'string', 'Whether pods of this class may preempt others.'),
  ],
  cells(obj, now) {
    const pc = obj as unknown as PriorityClass;
    return [pc.metadata?.name ?? '', pc.value ?? 0, pc.globalDefault ?? false, age(pc, now), pc.preemptionPolicy ?? ''];
  },
};

export const runtimeClassPrinter: TablePrinter = {
  columns: [nameColumn, column('Handler', 'string', 'The CRI handler that runs pods of this class.'), ageColumn],
  cells(obj, now) {
    const rc = obj as unknown as RuntimeClass;
    return [rc.metadata?.name ?? '', rc.handler ?? '', age(rc, now)];
  },
};

/** Denied beats Approved beats Pending; Failed and Issued are appended. */
export function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (csr.status?.certificate) status += ',Issued';
  return status;
}

export const certificateSigningRequestPrinter: TablePrinter = {
  columns: [
    nameColumn,
    ageColumn,
    column('SignerName', 'string', 'The signer asked to sign the certificate.'),
    column('Requestor', 'string', 'The user that created the request.'),
    column('RequestedDuration', 'string', 'Validity duration asked for.'),
    column('Condition', 'string', 'Approval and issuance state.'),
  ],
  cells(obj, now) {
    const csr = obj as unknown as CertificateSigningRequest;
    const seconds = csr.spec?.expirationSeconds;
    return [
      csr.metadata?.name ?? '',
      age(csr, now),
      csr.spec?.signerName || '<none>',
      csr.spec?.username ?? '',
      seconds != null ? humanDuration(seconds * 1000) : '<none>',
      csrCondition(csr),
    ];
  },
};

interface APIServiceLike {
  metadata?: { name?: string; creationTimestamp?: string };
  spec?: { service?: { namespace?: string; name?: string } | null };
  status?: { conditions?: { type?: string; status?: string; reason?: string }[] };
}

/**
 * kube-aggregator's own table: where requests go ("Local" when served in-process) and the
 * Available condition, with its reason when it is not True ("Unknown" before it is set).
 */
export const apiServicePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    column('Available', 'string', 'Whether this service is available.'),
    ageColumn,
  ],
  cells(obj, now) {
    const apiService = obj as APIServiceLike;
    const service = apiService.spec?.service;
    const target = service ? `${service.namespace ?? ''}/${service.name ?? ''}` : 'Local';
    const available = apiService.status?.conditions?.find((condition) => condition.type === 'Available');
    let status = 'Unknown';
    if (available) {
      status = available.status ?? '';
      if (status !== 'True' && available.reason) status = `${status} (${available.reason})`;
    }
    return [apiService.metadata?.name ?? '', target, status, age(apiService, now)];
  },
};
