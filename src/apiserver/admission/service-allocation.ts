// Cluster IPs from --service-cluster-ip-range and node ports from 30000-32767, handed out on
// Service create and released on delete. What is in use is read from the stored Services at each
// allocation, so a deleted Service or a Service that changed type frees its addresses at once and
// restarts need no separate allocation record; writes still in flight hold short reservations.
import { invalid } from '../../api/errors.js';
import { invalid as invalidField, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/object.js';
import type { AdmissionPlugin, ResourceStore } from '../registry/resource-store.js';
import { ipToNumber, nthAddress, type Ipv4Range } from './ip-range.js';

export const nodePortRange = { first: 30000, last: 32767 };
/** How long an address handed to a write stays reserved if that write never lands. */
const reservationMs = 30_000;

interface ServicePort { port?: number; nodePort?: number; protocol?: string }
interface ServiceSpec { type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: ServicePort[] }

export class ServiceAllocator {
  /** Addresses handed to writes that are not stored yet: "ip:10.96.0.7", "port:TCP/30080" → expiry. */
  private readonly reservations = new Map<string, number>();

  constructor(
    readonly range: Ipv4Range,
    private readonly services: () => ResourceStore,
  ) {}

  /** The first address of the range, held by the `kubernetes` Service. */
  firstAddress(): string {
    return nthAddress(this.range, 1);
  }

  /** Addresses held by stored Services (other than `except`) and by live reservations. */
  private async inUse(except?: KubeObject): Promise<{ ips: Set<string>; ports: Set<string> }> {
    const store = this.services();
    await store.fresh();
    const ips = new Set<string>();
    const ports = new Set<string>();
    const exceptKey = except?.metadata ? `${except.metadata.namespace}/${except.metadata.name}` : undefined;
    for (const item of store.cache.list()) {
      const meta = item.object.metadata ?? {};
      if (`${meta.namespace}/${meta.name}` === exceptKey) continue;
      const spec = (item.object.spec ?? {}) as ServiceSpec;
      for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) if (ip !== 'None') ips.add(ip);
      for (const port of spec.ports ?? []) if (port.nodePort) ports.add(`${port.protocol ?? 'TCP'}/${port.nodePort}`);
    }
    const now = Date.now();
    for (const [key, expiresAtMs] of this.reservations) {
      const landed = key.startsWith('ip:') ? ips.has(key.slice(3)) : ports.has(key.slice(5));
      // A reservation ends when its write is stored (the Service holds it now) or times out.
      if (expiresAtMs < now || landed) this.reservations.delete(key);
      else if (key.startsWith('ip:')) ips.add(key.slice(3));
      else ports.add(key.slice(5));
    }
    return { ips, ports };
  }

  private reserve(key: string): () => void {
    this.reservations.set(key, Date.now() + reservationMs);
    return () => this.reservations.delete(key);
  }

  /** A create that did not happen gives back what it reserved. */
  release(service: KubeObject): void {
    const spec = (service.spec ?? {}) as ServiceSpec;
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) this.reservations.delete(`ip:${ip}`);
    for (const port of spec.ports ?? []) if (port.nodePort) this.reservations.delete(`port:${port.protocol ?? 'TCP'}/${port.nodePort}`);
  }

  async allocate(service: KubeObject, old: KubeObject | undefined, dryRun: boolean): Promise<void> {
    const { ips, ports } = await this.inUse(old);
    const spec = (service.spec ?? {}) as ServiceSpec;
    service.spec = spec;
    const oldSpec = (old?.spec ?? {}) as ServiceSpec;
    const errors: FieldError[] = [];
    const reserved: (() => void)[] = [];
    const type = spec.type ?? 'ClusterIP';
    if (type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    } else if (old && oldSpec.clusterIP) {
      spec.clusterIP = oldSpec.clusterIP;
      spec.clusterIPs = oldSpec.clusterIPs ?? [oldSpec.clusterIP];
    } else if (spec.clusterIP !== 'None') {
      const wanted = spec.clusterIP || spec.clusterIPs?.[0];
      if (wanted) {
        const n = ipToNumber(wanted);
        if (n === undefined || n <= this.range.base || n >= this.range.base + this.range.size - 1) {
          errors.push(invalidField('spec.clusterIPs', spec.clusterIPs ?? [wanted], `failed to allocate IP ${wanted}: the provided IP (${wanted}) is not in the valid range. The range of valid IPs is ${this.range.cidr}`));
        } else if (ips.has(wanted)) {
          errors.push(invalidField('spec.clusterIPs', spec.clusterIPs ?? [wanted], `failed to allocate IP ${wanted}: provided IP is already allocated`));
        } else {
          spec.clusterIP = wanted;
          spec.clusterIPs = [wanted];
        }
      } else {
        const ip = this.nextFreeIp(ips);
        if (!ip) errors.push(invalidField('spec.clusterIPs', [], 'failed to allocate IP: range is full'));
        else {
          spec.clusterIP = ip;
          spec.clusterIPs = [ip];
        }
      }
      if (spec.clusterIP && !dryRun) {
        reserved.push(this.reserve(`ip:${spec.clusterIP}`));
      }
    } else {
      spec.clusterIPs = ['None'];
    }
    if (type === 'NodePort' || type === 'LoadBalancer') {
      (spec.ports ?? []).forEach((port, index) => {
        const protocol = port.protocol ?? 'TCP';
        const oldPort = oldSpec.ports?.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === protocol && p.nodePort);
        if (!port.nodePort && oldPort?.nodePort) port.nodePort = oldPort.nodePort;
        const held = oldSpec.ports?.some((p) => p.nodePort === port.nodePort && (p.protocol ?? 'TCP') === protocol);
        if (port.nodePort) {
          if (held) return;
          if (port.nodePort < nodePortRange.first || port.nodePort > nodePortRange.last) {
            errors.push(invalidField(`spec.ports[${index}].nodePort`, port.nodePort, `provided port is not in the valid range. The range of valid ports is ${nodePortRange.first}-${nodePortRange.last}`));
            return;
          }
          if (ports.has(`${protocol}/${port.nodePort}`)) {
            errors.push(invalidField(`spec.ports[${index}].nodePort`, port.nodePort, 'provided port is already allocated'));
            return;
          }
        } else {
          const free = this.nextFreePort(protocol, ports);
          if (free === undefined) {
            errors.push(invalidField(`spec.ports[${index}].nodePort`, 0, 'range is full'));
            return;
          }
          port.nodePort = free;
        }
        if (!dryRun) {
          reserved.push(this.reserve(`port:${protocol}/${port.nodePort}`));
        }
      });
    } else {
      for (const port of spec.ports ?? []) delete port.nodePort;
    }
    if (errors.length > 0) {
      for (const undo of reserved) undo();
      throw invalid('', 'Service', service.metadata?.name ?? '', errors);
    }
  }

  private nextFreeIp(ips: Set<string>): string | undefined {
    // Start at a random offset as upstream does, so IPs are not predictable and reuse is rare.
    const usable = this.range.size - 2;
    const start = Math.floor(Math.random() * usable);
    for (let i = 0; i < usable; i++) {
      const ip = nthAddress(this.range, 1 + ((start + i) % usable));
      if (!ips.has(ip)) return ip;
    }
    return undefined;
  }

  private nextFreePort(protocol: string, ports: Set<string>): number | undefined {
    const count = nodePortRange.last - nodePortRange.first + 1;
    const start = Math.floor(Math.random() * count);
    for (let i = 0; i < count; i++) {
      const port = nodePortRange.first + ((start + i) % count);
      if (!ports.has(`${protocol}/${port}`)) return port;
    }
    return undefined;
  }
}

export function serviceAllocation(allocator: ServiceAllocator): AdmissionPlugin {
  return {
    name: 'ServiceAllocation',
    async admit({ operation, object, old, dryRun }) {
      if (object.kind !== 'Service' || operation === 'DELETE') return;
      await allocator.allocate(object, old, dryRun);
    },
    async release({ operation, object }) {
      if (object.kind === 'Service' && operation === 'CREATE') allocator.release(object);
    },
  };
}
