// Pod sandboxes: what a pod's containers share — a network namespace wired by CNI (one IP for
// the pod), IPC and UTS namespaces, the hosts/hostname/resolv.conf files — kept on disk so a
// restarted agent finds them. Removing a sandbox releases all of it, even after a crash.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cgroups } from '../cgroups/cgroups.js';
import type { PodSandboxConfig, PodSandboxStatus } from '../cri/types.js';
import { addNetworkList, deleteNetworkList, type CniNetworkList } from './cni.js';
import { hostsFile, resolvConf } from './files.js';
import { createIpcUts, createNetns, deleteNetns, removeNamespaceFile, startPidNamespaceHolder, stopPidNamespaceHolder } from './namespaces.js';
import { loadSandbox, saveSandbox, type SandboxRecord } from './record.js';
import { nowNs } from '../containers/record.js';

/** CNI capability arguments of a sandbox: its hostPort mappings, for the portmap plugin. */
function capabilityArgs(config: PodSandboxConfig): Record<string, unknown> {
  const portMappings = (config.portMappings ?? []).filter((p) => p.hostPort > 0).map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol.toLowerCase(), hostIP: p.hostIp ?? '' }));
  return { portMappings };
}

export class SandboxNotFoundError extends Error {
  constructor(id: string) {
    super(`pod sandbox "${id}" not found`);
  }
}

export interface SandboxManagerOptions {
  root: string;
  cgroups: Cgroups;
  /** The pod network; without one, pods get a network namespace with only loopback. */
  network?: CniNetworkList;
  /** Prefix of netns names under /var/run/netns, so several k8ts (tests) on one host never collide. */
  netnsPrefix?: string;
}

export class SandboxManager {
  private readonly dir: string;
  private readonly nsRoot: string;
  private readonly records = new Map<string, SandboxRecord>();

  constructor(private readonly options: SandboxManagerOptions) {
    this.dir = join(options.root, 'sandboxes');
    this.nsRoot = join(options.root, 'ns');
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  ids(): string[] {
    return existsSync(this.dir) ? readdirSync(this.dir).filter((id) => this.records.has(id) || existsSync(this.recordPath(id))) : [];
  }

  /** The sandbox's record; shared, never to be changed in place (see save). */
  get(id: string): SandboxRecord {
    const record = this.load(id);
    if (!record) throw new SandboxNotFoundError(id);
    return record;
  }

  /**
   * Records are read from disk once and then kept: the agent asks for every sandbox's status on
   * each relist (every second), and reading hundreds of JSON files each time was most of its CPU.
   */
  private load(id: string): SandboxRecord | undefined {
    let record = this.records.get(id);
    if (!record) {
      record = loadSandbox(this.recordPath(id));
      if (record) this.records.set(id, record);
    }
    return record;
  }

  private async save(record: SandboxRecord): Promise<void> {
    await saveSandbox(this.recordPath(record.id), record);
    this.records.set(record.id, structuredClone(record));
  }

  async run(config: PodSandboxConfig): Promise<string> {
    const id = randomBytes(32).toString('hex');
    const dir = join(this.dir, id);
    await mkdir(dir, { recursive: true });
    const namespaces = config.linux?.securityContext?.namespaceOptions ?? {};
    const hostNetwork = namespaces.network === 'NODE';
    const hostname = config.hostname || config.metadata.name;
    const record: SandboxRecord = {
      id,
      config,
      dir,
      hostsFile: join(dir, 'hosts'),
      hostnameFile: join(dir, 'hostname'),
      resolvConfFile: join(dir, 'resolv.conf'),
      cgroupParent: config.linux?.cgroupParent ?? `/k8ts/pod-${config.metadata.uid || id.slice(0, 12)}`,
      ip: '',
      additionalIps: [],
      createdAtNs: nowNs(),
      state: 'SANDBOX_NOTREADY',
    };
    // Saved first, so a failure half-way is still found and cleaned up by remove().
    await this.save(record);
    try {
      if (!hostNetwork) {
        record.netnsName = `${this.options.netnsPrefix ?? 'k8ts-'}${id.slice(0, 12)}`;
        record.netnsPath = await createNetns(record.netnsName);
        await this.save(record);
        if (this.options.network) {
          const result = await addNetworkList(this.options.network, { containerId: id, netnsPath: record.netnsPath, ifName: 'eth0', capabilityArgs: capabilityArgs(config) });
          const addresses = (result.ips ?? []).map((ip) => ip.address.split('/')[0]!);
          record.ip = addresses[0] ?? '';
          record.additionalIps = addresses.slice(1);
        }
        const { ipcPath, utsPath } = await createIpcUts(this.nsRoot, id.slice(0, 12), hostname);
        record.utsPath = utsPath;
        if (namespaces.ipc !== 'NODE') record.ipcPath = ipcPath;
        else await removeNamespaceFile(ipcPath);
      } else if (namespaces.ipc !== 'NODE') {
        const { ipcPath, utsPath } = await createIpcUts(this.nsRoot, id.slice(0, 12), hostname);
        record.ipcPath = ipcPath;
        await removeNamespaceFile(utsPath);
      }
      if (namespaces.pid === 'POD') record.pidHolder = await startPidNamespaceHolder();
      writeFileSync(record.hostnameFile, `${hostname}\n`);
      writeFileSync(record.hostsFile, hostsFile(hostname, record.ip));
      writeFileSync(record.resolvConfFile, resolvConf(config.dnsConfig));
      await this.options.cgroups.create(record.cgroupParent, {});
      record.state = 'SANDBOX_READY';
      await this.save(record);
      return id;
    } catch (error) {
      await this.remove(id).catch(() => undefined);
      throw error;
    }
  }

  /** Tears the network down; the sandbox stays (NOTREADY) until removed. Idempotent. */
  async stop(id: string): Promise<void> {
    const stored = this.load(id);
    if (!stored) return;
    const record = structuredClone(stored);
    if (record.netnsPath && this.options.network) {
      // DEL gets the same port mappings as ADD: portmap removes its rules only for mappings it is told of.
      await deleteNetworkList(this.options.network, { containerId: id, netnsPath: existsSync(record.netnsPath) ? record.netnsPath : '', ifName: 'eth0', capabilityArgs: capabilityArgs(record.config) }).catch(() => undefined);
    }
    if (record.netnsName) await deleteNetns(record.netnsName);
    record.state = 'SANDBOX_NOTREADY';
    await this.save(record);
  }

  async remove(id: string): Promise<void> {
    const record = this.load(id);
    if (!record) return;
    await this.stop(id);
    stopPidNamespaceHolder(record.pidHolder);
    await removeNamespaceFile(record.ipcPath);
    await removeNamespaceFile(record.utsPath);
    await this.options.cgroups.remove(record.cgroupParent).catch(() => undefined);
    await rm(join(this.dir, id), { recursive: true, force: true });
    this.records.delete(id);
  }

  status(id: string): PodSandboxStatus {
    const record = this.get(id);
    return {
      id,
      metadata: record.config.metadata,
      state: record.state,
      createdAt: record.createdAtNs,
      ip: record.ip,
      additionalIps: record.additionalIps,
      netnsPath: record.netnsPath ?? '',
      labels: record.config.labels ?? {},
      annotations: record.config.annotations ?? {},
    };
  }

  list(): PodSandboxStatus[] {
    return this.ids().map((id) => this.status(id));
  }

  private recordPath(id: string): string {
    return join(this.dir, id, 'sandbox.json');
  }
}
