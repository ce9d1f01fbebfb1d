// Cluster IPs from --service-cluster-ip-range and node ports from 30000-32767, handed out on
// Service create and released on delete. The in-use sets are rebuilt from the stored Services
// at start, so allocations survive restarts without a separate allocation record.
import { invalid } from '../../api/errors.js';
import { invalid as invalidField, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/object.js';
import type { AdmissionPlugin, ResourceStore } from '../registry/resource-store.js';
import { ipToNumber, nthAddress, type Ipv4Range } from './ip-range.js';

export const nodePortRange = { first: 30000, last: 32767 };

interface ServicePort { port?: number; nodePort?: number; protocol?: string }
interface ServiceSpec { type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: ServicePort[] }

export class ServiceAllocator {
  private readonly ips = new Set<string>();
  private readonly ports = new Set<string>();
  private loaded = false;

  constructor(
    readonly range: Ipv4Range,
    private readonly services: () => ResourceStore,
  ) {}

  /** The first address of the range, held by the `kubernetes` Service. */
  firstAddress(): string {
    return nthAddress(this.range, 1);
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    const store = this.services();
    await store.fresh();
    for (const item of store.cache.list()) this.hold(item.object);
    this.loaded = true;
  }

  private hold(service: KubeObject): void {
    const spec = (service.spec ?? {}) as ServiceSpec;
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) if (ip !== 'None') this.ips.add(ip);
    for (const port of spec.ports ?? []) if (port.nodePort) this.ports.add(`${port.protocol ?? 'TCP'}/${port.nodePort}`);
  }

  release(service: KubeObject): void {
    const spec = (service.spec ?? {}) as ServiceSpec;
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) this.ips.delete(ip);
    for (const port of spec.ports ?? []) if (port.nodePort) this.ports.delete(`${port.protocol ?? 'TCP'}/${port.nodePort}`);
  }

  async allocate(service: KubeObject, old: KubeObject | undefined, dryRun: boolean): Promise<void> {
    await this.load();
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
        } else if (this.ips.has(wanted)) {
          errors.push(invalidField('spec.clusterIPs', spec.clusterIPs ?? [wanted], `failed to allocate IP ${wanted}: provided IP is already allocated`));
        } else {
          spec.clusterIP = wanted;
          spec.clusterIPs = [wanted];
        }
      } else {
        const ip = this.nextFreeIp();
        if (!ip) errors.push(invalidField('spec.clusterIPs', [], 'failed to allocate IP: range is full'));
        else {
          spec.clusterIP = ip;
          spec.clusterIPs = [ip];
        }
      }
      if (spec.clusterIP && !dryRun) {
        const ip = spec.clusterIP;
        this.ips.add(ip);
        reserved.push(() => this.ips.delete(ip));
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
          if (this.ports.has(`${protocol}/${port.nodePort}`)) {
            errors.push(invalidField(`spec.ports[${index}].nodePort`, port.nodePort, 'provided port is already allocated'));
            return;
          }
        } else {
          const free = this.nextFreePort(protocol);
          if (free === undefined) {
            errors.push(invalidField(`spec.ports[${index}].nodePort`, 0, 'range is full'));
            return;
          }
          port.nodePort = free;
        }
        if (!dryRun) {
          const key = `${protocol}/${port.nodePort}`;
          this.ports.add(key);
          reserved.push(() => this.ports.delete(key));
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

  private nextFreeIp(): string | undefined {
    // Start at a random offset as upstream does, so IPs are not predictable and reuse is rare.
    const usable = this.range.size - 2;
    const start = Math.floor(Math.random() * usable);
    for (let i = 0; i < usable; i++) {
      const ip = nthAddress(this.range, 1 + ((start + i) % usable));
      if (!this.ips.has(ip)) return ip;
    }
    return undefined;
  }

  private nextFreePort(protocol: string): number | undefined {
    const count = nodePortRange.last - nodePortRange.first + 1;
    const start = Math.floor(Math.random() * count);
    for (let i = 0; i < count; i++) {
      const port = nodePortRange.first + ((start + i) % count);
      if (!this.ports.has(`${protocol}/${port}`)) return port;
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
      if (object.kind === 'Service' && (operation === 'DELETE' || operation === 'CREATE')) allocator.release(object);
    },
  };
}
