// networking.k8s.io and discovery.k8s.io printers: Ingress, IngressClass, NetworkPolicy, EndpointSlice.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import { age, formatLabelSelector, listWithMore, loadBalancerIngress } from './format.js';
import { ageColumn, column, nameColumn, type TablePrinter } from './types.js';

/** Up to three rule hosts; "*" when no rule names a host. */
export function ingressHosts(ingress: Ingress): string {
  const rules = ingress.spec?.rules ?? [];
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  // Upstream counts every rule past the third, hosted or not.
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

export const ingressPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Class', 'string', 'The IngressClass that handles this ingress.'),
    column('Hosts', 'string', 'Hosts the ingress rules match.'),
    column('Address', 'string', 'Load-balancer ingress points of the ingress.'),
    column('Ports', 'string', 'Ports served: 80, plus 443 when TLS is configured.'),
    ageColumn,
  ],
  cells(obj, now) {
    const ing = obj as Ingress;
    return [
      ing.metadata?.name ?? '',
      ing.spec?.ingressClassName ?? '<none>',
      ingressHosts(ing),
      loadBalancerIngress(ing.status?.loadBalancer?.ingress),
      (ing.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
      age(ing, now),
    ];
  },
};

export const ingressClassPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'The controller that implements this class.'),
    column('Parameters', 'string', 'Resource holding extra configuration, as Kind.group/name.'),
    ageColumn,
  ],
  cells(obj, now) {
    const ic = obj as IngressClass;
    const p = ic.spec?.parameters;
    let parameters = '<none>';
    if (p) parameters = `${p.kind}${p.apiGroup != null ? `.${p.apiGroup}` : ''}/${p.name}`;
    return [ic.metadata?.name ?? '', ic.spec?.controller ?? '', parameters, age(ic, now)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [nameColumn, column('Pod-Selector', 'string', 'Pods the policy applies to.'), ageColumn],
  cells(obj, now) {
    const np = obj as NetworkPolicy;
    return [np.metadata?.name ?? '', formatLabelSelector(np.spec?.podSelector ?? {}), age(np, now)];
  },
};

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('AddressType', 'string', 'Kind of addresses in the slice: IPv4, IPv6 or FQDN.'),
    column('Ports', 'string', 'Port numbers (or names) the slice exposes.'),
    column('Endpoints', 'string', 'Addresses of the endpoints in the slice.'),
    ageColumn,
  ],
  cells(obj, now) {
    const slice = obj as unknown as EndpointSlice;
    const ports = (slice.ports ?? []).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'));
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [slice.metadata?.name ?? '', slice.addressType ?? '', listWithMore(ports), listWithMore(addresses), age(slice, now)];
  },
};
