// The Service environment variables (docker-link style) as upstream's getServiceEnvVarMap and
// envvars.FromServices: for every Service of the pod's namespace with a cluster IP (when
// enableServiceLinks, the default) and always the `kubernetes` Service of `default`.
import type { Service } from 'kubernetes-types/core/v1.js';

const masterServiceNamespace = 'default';

function envName(serviceName: string): string {
  return serviceName.toUpperCase().replace(/-/g, '_');
}

function hasClusterIP(service: Service): boolean {
  const ip = service.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/** Variables for these services, in upstream's order. */
export function serviceEnvVars(services: readonly Service[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const service of services) {
    if (!hasClusterIP(service)) continue;
    const name = envName(service.metadata?.name ?? '');
    const ip = service.spec!.clusterIP!;
    const ports = service.spec?.ports ?? [];
    env.set(`${name}_SERVICE_HOST`, ip);
    const first = ports[0];
    if (first) env.set(`${name}_SERVICE_PORT`, String(first.port));
    for (const port of ports) if (port.name) env.set(`${name}_SERVICE_PORT_${envName(port.name)}`, String(port.port));
    if (!first) continue;
    const url = (p: typeof first): string => `${(p.protocol ?? 'TCP').toLowerCase()}://${ip.includes(':') ? `[${ip}]` : ip}:${p.port}`;
    env.set(`${name}_PORT`, url(first));
    for (const port of ports) {
      const protocol = port.protocol ?? 'TCP';
      const prefix = `${name}_PORT_${port.port}_${protocol.toUpperCase()}`;
      env.set(prefix, url(port));
      env.set(`${prefix}_PROTO`, protocol.toLowerCase());
      env.set(`${prefix}_PORT`, String(port.port));
      env.set(`${prefix}_ADDR`, ip);
    }
  }
  return env;
}

/** Which services a pod in `namespace` sees: its namespace's (when links are on) and default/kubernetes. */
export function servicesForPod(namespace: string, enableServiceLinks: boolean, inNamespace: readonly Service[], masterService: Service | undefined): Service[] {
  const byName = new Map<string, Service>();
  if (masterService && namespace !== masterServiceNamespace) byName.set(masterService.metadata?.name ?? '', masterService);
  if (enableServiceLinks) for (const service of inNamespace) byName.set(service.metadata?.name ?? '', service);
  else if (namespace === masterServiceNamespace && masterService) byName.set('kubernetes', masterService);
  return [...byName.values()].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}
