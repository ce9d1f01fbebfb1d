// Service and Endpoints printers: CLUSTER-IP / EXTERNAL-IP / PORT(S) conventions
// ("<none>", "<pending>", "80:30080/TCP") and the "a:80,b:80 + 2 more..." endpoint list.
import type { Endpoints, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { age, formatLabels, joinHostPort, loadBalancerIngress } from './format.js';
import { ageColumn, column, nameColumn, wideColumn, type TablePrinter } from './types.js';

export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) {
        return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      }
      return lb !== '' ? lb : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export function servicePorts(ports: readonly ServicePort[] | undefined): string {
  const pieces = (ports ?? []).map((p) => {
    const protocol = p.protocol ?? 'TCP';
    return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
  });
  return pieces.length > 0 ? pieces.join(',') : '<none>';
}

export const servicePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'The first cluster IP allocated to the service.'),
    column('External-IP', 'string', 'Addresses the service is reachable at from outside the cluster.'),
    column('Port(s)', 'string', 'Ports the service exposes, with node ports where allocated.'),
    ageColumn,
    wideColumn('Selector', 'Labels of the pods the service routes to.'),
  ],
  cells(obj, now) {
    const svc = obj as Service;
    // The internal type fills clusterIPs from the legacy clusterIP field; mirror that fallback.
    const clusterIP = svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>';
    return [
      svc.metadata?.name ?? '',
      svc.spec?.type ?? 'ClusterIP',
      clusterIP,
      serviceExternalIP(svc),
      servicePorts(svc.spec?.ports),
      age(svc, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};

/** formatEndpoints with every port: "ip:port" pairs, at most three, then "+ N more...". */
export function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    if (ports.length === 0) {
      // Headless services may publish addresses without ports.
      count += addresses.length;
      for (const address of addresses) {
        if (list.length === max) break;
        list.push(address.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const address of addresses) {
        if (list.length === max) break;
        list.push(joinHostPort(address.ip, port.port));
      }
    }
  }
  const shown = list.join(',');
  return count > max ? `${shown} + ${count - max} more...` : shown;
}

export const endpointsPrinter: TablePrinter = {
  columns: [nameColumn, column('Endpoints', 'string', 'Ready addresses and ports backing the service.'), ageColumn],
  cells(obj, now) {
    return [obj.metadata?.name ?? '', formatEndpoints(obj as Endpoints), age(obj, now)];
  },
};
