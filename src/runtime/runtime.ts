// k8ts's container runtime, in the CRI's shape: pod sandboxes, containers and images, backed by
// runc or crun, overlayfs, CNI and cgroups. State lives under `root`, so a new Runtime on the
// same root (a restarted agent) finds its sandboxes and running containers and leaves them be.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Cgroups } from './cgroups/cgroups.js';
import { ContainerManager } from './containers/manager.js';
import { resizeExecTerminal } from './containers/terminal.js';
import type { ContainerConfig, ContainerStatus, ImageStatus, PodSandboxConfig, PodSandboxStatus } from './cri/types.js';
import { defaultRuntime, OciRuntime, type OciRuntimeName } from './driver/oci-runtime.js';
import { ImageNotFoundError, ImageStore, type ImageRecord } from './images/image-store.js';
import { type CniNetworkList } from './sandbox/cni.js';
import { SandboxManager } from './sandbox/manager.js';
import { ensurePodMasquerade } from './sandbox/masquerade.js';
import { exportDiff } from './snapshots/export-diff.js';
import type { TarWriteEntry } from './images/tar-writer.js';

export interface RuntimeOptions {
  root: string;
  runtime?: OciRuntimeName;
  network?: CniNetworkList;
  netnsPrefix?: string;
  /** NAT for traffic leaving the pod network: one nftables table (named here) for the pod CIDR. */
  masquerade?: { table: string; podCidr: string };
}

export class Runtime {
  readonly images: ImageStore;
  readonly oci: OciRuntime;
  readonly cgroups: Cgroups;
  private readonly sandboxes: SandboxManager;
  private readonly containers: ContainerManager;

  private constructor(readonly options: RuntimeOptions) {
    this.cgroups = new Cgroups();
    this.oci = new OciRuntime(options.runtime ?? defaultRuntime(), join(options.root, 'oci', options.runtime ?? defaultRuntime()));
    this.images = new ImageStore(join(options.root, 'images'));
    this.sandboxes = new SandboxManager({ root: options.root, cgroups: this.cgroups, network: options.network, netnsPrefix: options.netnsPrefix });
    this.containers = new ContainerManager({ root: options.root, images: this.images, runtime: this.oci, cgroups: this.cgroups });
  }

  static async open(options: RuntimeOptions): Promise<Runtime> {
    const runtime = new Runtime(options);
    await runtime.images.init();
    await runtime.sandboxes.init();
    if (options.masquerade) await ensurePodMasquerade(options.masquerade.table, options.masquerade.podCidr);
    await runtime.containers.init();
    return runtime;
  }

  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.sandboxes.run(config);
  }

  /** Stops every container of the sandbox (grace 0, as the CRI specifies), then its network. */
  async stopPodSandbox(id: string): Promise<void> {
    for (const container of await this.listContainers({ podSandboxId: id })) {
      if (container.state === 'CONTAINER_RUNNING') await this.containers.stop(container.id, 0);
    }
    await this.sandboxes.stop(id);
  }

  async removePodSandbox(id: string): Promise<void> {
    for (const container of await this.listContainers({ podSandboxId: id })) await this.containers.remove(container.id);
    await this.sandboxes.remove(id);
  }

  podSandboxStatus(id: string): PodSandboxStatus {
    return this.sandboxes.status(id);
  }

  listPodSandbox(): PodSandboxStatus[] {
    return this.sandboxes.list();
  }

  async createContainer(podSandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandboxes.get(podSandboxId);
    if (sandbox.state !== 'SANDBOX_READY') throw new Error(`pod sandbox ${podSandboxId} is not ready`);
    const image = await this.images.resolve(config.image);
    return this.containers.create(sandbox, config, image);
  }

  startContainer(id: string): Promise<void> {
    return this.containers.start(id);
  }

  /** Runs a created container in the foreground on this process's terminal; resolves with its exit status. */
  runContainerAttached(id: string, options: { tty: boolean; interactive: boolean }): Promise<number> {
    return this.containers.runAttached(id, options);
  }

  stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    return this.containers.stop(id, timeoutSeconds);
  }

  removeContainer(id: string): Promise<void> {
    return this.containers.remove(id);
  }

  containerStatus(id: string): Promise<ContainerStatus> {
    return this.containers.status(id);
  }

  async listContainers(filter: { podSandboxId?: string; state?: ContainerStatus['state'] } = {}): Promise<ContainerStatus[]> {
    return (await this.containers.list()).filter((c) => (!filter.podSandboxId || c.podSandboxId === filter.podSandboxId) && (!filter.state || c.state === filter.state));
  }

  /** The container's filesystem changes as OCI layer tar entries (whiteouts in OCI form), for committing a build step. */
  containerChanges(id: string): Promise<TarWriteEntry[]> {
    return exportDiff(this.containers.upperDir(id));
  }

  waitForExit(id: string, timeoutMs: number): Promise<boolean> {
    return this.containers.waitForExit(id, timeoutMs);
  }

  /** CRI Attach: output as it is written, and stdin for containers created with `stdin`. */
  attach(containerId: string, onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => void): Promise<{ stdin?: import('node:stream').Writable; detach(): void }> {
    return this.containers.attach(containerId, onOutput);
  }

  reopenContainerLog(containerId: string): Promise<void> {
    return this.containers.reopenLog(containerId);
  }

  /** Runs a command in a running container. With `tty` it runs on a terminal (stderr merged into stdout). */
  exec(containerId: string, cmd: string[], options: { tty?: boolean } = {}): Promise<ChildProcess> {
    return this.containers.exec(containerId, cmd, options);
  }

  /** Resizes the terminal of an exec started with `tty` (CRI's resize channel). */
  resizeExecTerminal(exec: ChildProcess, size: { rows: number; cols: number }): Promise<void> {
    return resizeExecTerminal(exec, size);
  }

  listImages(): ImageStatus[] {
    return this.images.list().map(imageStatus);
  }

  imageStatus(reference: string): ImageStatus | undefined {
    const record = this.images.find(reference);
    return record ? imageStatus(record) : undefined;
  }

  async removeImage(reference: string): Promise<void> {
    if (!this.images.find(reference)) throw new ImageNotFoundError(reference);
    await this.images.remove(reference);
  }

  /** Lets go of log readers; containers and sandboxes keep running for the next Runtime. */
  async close(): Promise<void> {
    await this.containers.close();
  }
}

function imageStatus(record: ImageRecord): ImageStatus {
  return {
    id: record.id,
    repoTags: record.names,
    repoDigests: record.names.map((name) => `${name.replace(/:[^/:]+$/, '')}@${record.manifestDigest}`),
    size: record.size,
  };
}
