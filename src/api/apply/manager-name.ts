// Which manager a write is recorded under. Requests name one with ?fieldManager= (kubectl sends
// kubectl-client-side-apply, kubectl-edit, kubectl-label...); without it upstream uses the user
// agent up to its first "/": "kubectl", "kube-controller-manager", "Go-http-client".
export function fieldManagerFor(requested: string | undefined, userAgent: string | undefined): string {
  if (requested) return requested;
  return (userAgent ?? '').split('/')[0] ?? '';
}

/** The manager that first takes ownership of an object's fields when it is applied without managedFields. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';
/** The bucket older update managers are merged into once an object has more than ten. */
export const ANCIENT_CHANGES = 'ancient-changes';
export const MAX_UPDATE_MANAGERS = 10;
/** kubectl's manager for server-side apply: the only one the last-applied annotation is kept in sync for. */
export const KUBECTL_SSA_MANAGER = 'kubectl';
