// Host ports in use on a node, keyed by IP; 0.0.0.0 conflicts with every IP.
import type { ContainerPort, Pod } from 'kubernetes-types/core/v1.js';

const ANY_IP = '0.0.0.0';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** Ports with a hostPort, from app containers and sidecars (restartable init containers). */
export function podHostPorts(pod: Pod): HostPort[] {
  const containers = [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
  const ports: HostPort[] = [];
  for (const c of containers) for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) ports.push(hostPortOf(p));
  return ports;
}

function hostPortOf(p: ContainerPort): HostPort {
  return { ip: p.hostIP || ANY_IP, protocol: p.protocol || 'TCP', port: p.hostPort ?? 0 };
}

export class HostPortSet {
  private readonly byIp = new Map<string, Map<string, number>>();

  add(p: HostPort, delta: 1 | -1 = 1): void {
    const ports = this.byIp.get(p.ip) ?? new Map<string, number>();
    const key = `${p.protocol}/${p.port}`;
    const next = (ports.get(key) ?? 0) + delta;
    if (next <= 0) ports.delete(key);
    else ports.set(key, next);
    if (ports.size === 0) this.byIp.delete(p.ip);
    else this.byIp.set(p.ip, ports);
  }

  conflicts(p: HostPort): boolean {
    const key = `${p.protocol}/${p.port}`;
    if (p.ip === ANY_IP) {
      for (const ports of this.byIp.values()) if (ports.has(key)) return true;
      return false;
    }
    return (this.byIp.get(p.ip)?.has(key) ?? false) || (this.byIp.get(ANY_IP)?.has(key) ?? false);
  }

  clone(): HostPortSet {
    const copy = new HostPortSet();
    for (const [ip, ports] of this.byIp) copy.byIp.set(ip, new Map(ports));
    return copy;
  }
}
