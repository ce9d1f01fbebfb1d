// Containers: created from an image into a sandbox, started under a supervisor, stopped with
// SIGTERM then SIGKILL, their output written as CRI logs, their status read back from disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, createWriteStream, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCommand } from '../exec/run-command.js';
import { constants as osConstants } from 'node:os';
import type { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { Cgroups, runtimeLeaf } from '../cgroups/cgroups.js';
import type { ContainerConfig, ContainerStatus } from '../cri/types.js';
import type { ImageStore, ResolvedImage } from '../images/image-store.js';
import { CriLogWriter, type LogStream } from '../logs/cri-log.js';
import type { OciRuntime } from '../driver/oci-runtime.js';
import type { SandboxRecord } from '../sandbox/record.js';
import { containerSpec } from './bundle.js';
import { makeFifos, openFifoForContainer } from './fifo.js';
import { pumpOutput } from './output.js';
import { CreateContainerError, resolveUser } from './process.js';
import { nowNs, type ContainerRecord } from './record.js';
import { RecordCache } from './record-cache.js';
import { processAlive, runtimeError, startSupervisor } from './supervisor.js';
import { spawnExec } from './terminal.js';

const run = (file: string, args: readonly string[]) => runCommand(file, args);
const osSignals = osConstants.signals as Record<string, number>;

/** How long start waits for the OCI runtime to report the container's pid. */
export const startTimeoutMs = 30_000;
/** How often exit and start are polled for while waiting. */
const pollIntervalMs = 10;
/** After SIGKILL, how long to wait for the exit before giving up (a process stuck in the kernel). */
export const killWaitMs = 10_000;

export class ContainerNotFoundError extends Error {
  constructor(id: string) {
    super(`container "${id}" not found`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LiveLogs {
  writer: CriLogWriter;
  readers: { destroy(): void }[];
  done: Promise<void>;
}

export interface ContainerManagerOptions {
  root: string;
  images: ImageStore;
  runtime: OciRuntime;
  cgroups: Cgroups;
}

export class ContainerManager {
  private readonly dir: string;
  private readonly records: RecordCache;
  private readonly logs = new Map<string, LiveLogs>();
  /** For stdinOnce containers, the write end k8ts keeps open until the first attach ends. */
  private readonly stdinHolders = new Map<string, number>();
  /** waitForExit callers, woken when a supervisor this process started exits. */
  private readonly exitListeners = new Map<string, Set<() => void>>();
  /** Live output listeners of attached clients, by container. */
  private readonly attached = new Map<string, Set<(stream: LogStream, chunk: Buffer) => void>>();

  constructor(private readonly options: ContainerManagerOptions) {
    this.dir = join(options.root, 'containers');
    this.records = new RecordCache(this.dir);
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // Containers that kept running while no agent was here get their log readers back.
    for (const id of this.ids()) {
      const record = this.records.peek(id);
      if (record?.startedAtNs && !this.exitFileCode(id)) await this.attachLogs(record);
    }
  }

  ids(): string[] {
    return existsSync(this.dir) ? readdirSync(this.dir).filter((id) => this.records.has(id)) : [];
  }

  async create(sandbox: SandboxRecord, config: ContainerConfig, image: ResolvedImage): Promise<string> {
    const id = randomBytes(32).toString('hex');
    const dir = join(this.dir, id);
    await mkdir(dir, { recursive: true });
    try {
      const layers = await this.options.images.unpack(image);
      const rootfs = join(dir, 'rootfs');
      await Promise.all([mkdir(rootfs), mkdir(join(dir, 'upper')), mkdir(join(dir, 'work'))]);
      const lower = layers.length > 0 ? [...layers].reverse().join(':') : join(dir, 'empty');
      if (layers.length === 0) await mkdir(lower);
      await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`, rootfs]);
      const security = config.linux?.securityContext ?? {};
      const user = resolveUser(rootfs, image.config, security);
      const cgroupPath = `${sandbox.cgroupParent}/${id.slice(0, 12)}`;
      const resources = config.linux?.resources ?? {};
      await this.options.cgroups.create(cgroupPath, {
        cpuShares: resources.cpuShares,
        cpuQuotaUs: resources.cpuQuota,
        cpuPeriodUs: resources.cpuPeriod,
        memoryLimitBytes: resources.memoryLimitInBytes,
        pidsLimit: resources.pidsLimit,
      });
      const spec = containerSpec({ sandbox, config, image, rootfs, user, cgroupsPath: `${cgroupPath}/${runtimeLeaf}` });
      writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
      await makeFifos([join(dir, 'stdout'), join(dir, 'stderr'), ...(config.stdin ? [join(dir, 'stdin')] : [])]);
      const logPath = config.logPath && sandbox.config.logDirectory ? join(sandbox.config.logDirectory, config.logPath) : join(dir, 'container.log');
      const record: ContainerRecord = {
        id,
        sandboxId: sandbox.id,
        config,
        image: config.image,
        imageRef: image.record.id,
        cgroupPath,
        runtime: this.options.runtime.name,
        logPath,
        createdAtNs: nowNs(),
      };
      await this.records.create(record);
      return id;
    } catch (error) {
      await this.cleanUp(id).catch(() => undefined);
      if (error instanceof CreateContainerError) throw error;
      throw new CreateContainerError((error as Error).message);
    }
  }

  async start(id: string): Promise<void> {
    const record = this.record(id);
    if (record.startedAtNs) throw new Error(`container ${id} has already been started`);
    const dir = join(this.dir, id);
    await mkdir(dirname(record.logPath), { recursive: true });
    await this.attachLogs(record);
    const stdoutFd = openFifoForContainer(join(dir, 'stdout'));
    const stderrFd = openFifoForContainer(join(dir, 'stderr'));
    const stdinFd = record.config.stdin ? this.openStdin(id, record.config.stdinOnce === true) : undefined;
    const runtimeLog = join(dir, 'runtime.log');
    let supervisorPid: number;
    try {
      supervisorPid = startSupervisor(
        {
          argv: this.options.runtime.argv(['--log', runtimeLog, '--log-format', 'json', 'run', '--bundle', dir, '--pid-file', join(dir, 'pid'), id]),
          exitFile: join(dir, 'exit'),
          stdoutFd,
          stderrFd,
          ...(stdinFd !== undefined ? { stdinFd } : {}),
          cwd: dir,
        },
        () => this.notifyExit(id),
      );
    } finally {
      closeSync(stdoutFd);
      closeSync(stderrFd);
      if (stdinFd !== undefined) closeSync(stdinFd);
    }
    await this.update(id, (r) => {
      r.supervisorPid = supervisorPid;
    });
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      const pid = existsSync(join(dir, 'pid')) ? Number(readFileSync(join(dir, 'pid'), 'utf8').trim()) : 0;
      if (pid > 0) {
        await this.update(id, (r) => {
          r.pid = pid;
          r.startedAtNs = nowNs();
        });
        return;
      }
      const code = this.exitFileCode(id);
      if (code !== undefined) {
        // The runtime failed before the process started (bad command, mount failure, …).
        await this.update(id, (r) => {
          r.startedAtNs ??= nowNs();
        });
        await this.finish(id, code);
        throw new Error(`failed to start container: ${await runtimeError(runtimeLog)}`);
      }
      if (Date.now() > deadline) throw new Error(`container ${id} did not start within ${startTimeoutMs} ms`);
      await sleep(pollIntervalMs);
    }
  }

  /**
   * Runs a created container in the foreground of this process, on its terminal (`k8ts ctr run
   * -it`): no supervisor and no log file, the OCI runtime copies between the terminal and the
   * container. Resolves with the exit status, which is recorded as for any container.
   */
  async runAttached(id: string, options: { tty: boolean; interactive: boolean }): Promise<number> {
    const record = this.record(id);
    if (record.startedAtNs) throw new Error(`container ${id} has already been started`);
    const dir = join(this.dir, id);
    const specPath = join(dir, 'config.json');
    const spec = JSON.parse(await readFile(specPath, 'utf8')) as { process: { terminal?: boolean } };
    spec.process.terminal = options.tty;
    writeFileSync(specPath, JSON.stringify(spec));
    await this.update(id, (r) => {
      r.startedAtNs = nowNs();
    });
    const [command, ...args] = this.options.runtime.argv(['run', '--bundle', dir, '--pid-file', join(dir, 'pid'), id]);
    const child = spawn(command!, args, { stdio: [options.interactive ? 'inherit' : 'ignore', 'inherit', 'inherit'] });
    const code = await new Promise<number>((resolve) => child.once('exit', (status, signal) => resolve(status ?? 128 + (signal ? osSignals[signal] ?? 0 : 0))));
    writeFileSync(join(dir, 'exit'), `${code}\n`);
    await this.finish(id, code);
    return code;
  }

  /** SIGTERM (or the image's stop signal), then SIGKILL after `timeoutSeconds`. */
  async stop(id: string, timeoutSeconds: number): Promise<void> {
    const record = this.record(id);
    if (!record.startedAtNs || this.exitFileCode(id) !== undefined) return this.settle(record);
    if (timeoutSeconds > 0) {
      await this.options.runtime.kill(id, 'SIGTERM');
      if (await this.waitForExit(id, timeoutSeconds * 1000)) return this.settle(record);
    }
    await this.update(id, (r) => {
      r.killedByRuntime = true;
    });
    await this.options.runtime.kill(id, 'SIGKILL', true);
    if (!(await this.waitForExit(id, killWaitMs))) throw new Error(`container ${id} did not exit after SIGKILL`);
    await this.settle(this.record(id));
  }

  async remove(id: string): Promise<void> {
    const record = this.records.peek(id);
    if (!record) return;
    if (record.startedAtNs && this.exitFileCode(id) === undefined && record.supervisorPid && processAlive(record.supervisorPid)) await this.stop(id, 0);
    await this.cleanUp(id);
  }

  /** The container's status; an exit not yet recorded (OOM check, finish time) is recorded first. */
  async status(id: string): Promise<ContainerStatus> {
    let record = this.record(id);
    // A recorded exit is final: only containers not known to have exited look for the exit file.
    const code = record.exitCode ?? this.exitFileCode(id);
    if (code !== undefined && record.exitCode === undefined) {
      await this.finish(id, code);
      record = this.record(id);
    }
    let state: ContainerStatus['state'] = 'CONTAINER_CREATED';
    if (record.startedAtNs) {
      if (code !== undefined || record.exitCode !== undefined) state = 'CONTAINER_EXITED';
      else if (record.supervisorPid && processAlive(record.supervisorPid)) state = 'CONTAINER_RUNNING';
      else state = 'CONTAINER_UNKNOWN';
    }
    const exitCode = record.exitCode ?? code ?? 0;
    const finishedAtNs = record.finishedAtNs ?? (code !== undefined ? statSync(join(this.dir, id, 'exit')).mtimeMs * 1e6 : 0);
    return {
      id,
      metadata: record.config.metadata,
      state,
      createdAt: record.createdAtNs,
      startedAt: record.startedAtNs ?? 0,
      finishedAt: state === 'CONTAINER_EXITED' ? finishedAtNs : 0,
      exitCode: state === 'CONTAINER_EXITED' ? exitCode : 0,
      reason: state === 'CONTAINER_EXITED' ? record.reason ?? (exitCode === 0 ? 'Completed' : 'Error') : '',
      message: record.message ?? '',
      image: record.image,
      imageRef: record.imageRef,
      labels: record.config.labels ?? {},
      annotations: record.config.annotations ?? {},
      logPath: record.logPath,
      podSandboxId: record.sandboxId,
      ...(record.pid ? { pid: record.pid } : {}),
    };
  }

  async list(): Promise<ContainerStatus[]> {
    const statuses: ContainerStatus[] = [];
    for (const id of this.ids()) statuses.push(await this.status(id).catch(() => undefined as never));
    return statuses.filter(Boolean);
  }

  /** Runs a command in a running container; the caller owns the process's stdio. */
  async exec(id: string, cmd: string[], options: { tty?: boolean; env?: string[]; cwd?: string } = {}): Promise<ChildProcess> {
    const record = this.record(id);
    if ((await this.status(id)).state !== 'CONTAINER_RUNNING') throw new Error(`container ${id} is not running`);
    const spec = JSON.parse(await readFile(join(this.dir, id, 'config.json'), 'utf8')) as { process: Record<string, unknown> };
    const processSpec = { ...spec.process, args: cmd, terminal: options.tty === true, ...(options.env ? { env: options.env } : {}), ...(options.cwd ? { cwd: options.cwd } : {}) };
    const processFile = join(this.dir, id, `exec-${randomBytes(6).toString('hex')}.json`);
    writeFileSync(processFile, JSON.stringify(processSpec));
    const child = spawnExec(this.options.runtime.execArgv(record.id, processFile, options.tty === true), options.tty === true);
    child.once('exit', () => void rm(processFile, { force: true }));
    return child;
  }

  /** The container's overlayfs upper directory: everything it changed (`k8ts image build` commits RUN steps from it). */
  upperDir(id: string): string {
    this.record(id);
    return join(this.dir, id, 'upper');
  }

  /**
   * CRI Attach: the container's output from now on, and its stdin when it was created with
   * `stdin`. Output is what the log reader sees, so attaching never takes lines from the log.
   */
  async attach(id: string, onOutput: (stream: LogStream, chunk: Buffer) => void): Promise<{ stdin?: Writable; detach(): void }> {
    const record = this.record(id);
    if ((await this.status(id)).state !== 'CONTAINER_RUNNING') throw new Error(`container ${id} is not running`);
    const listeners = this.attached.get(id) ?? new Set();
    listeners.add(onOutput);
    this.attached.set(id, listeners);
    // A writer is always there (the container or our holder), so this open never blocks.
    const stdin = record.config.stdin ? createWriteStream('', { fd: openSync(join(this.dir, id, 'stdin'), constants.O_WRONLY | constants.O_NONBLOCK) }) : undefined;
    return {
      ...(stdin ? { stdin } : {}),
      detach: () => {
        listeners.delete(onOutput);
        stdin?.end();
        // stdinOnce: the first client to go closes the container's stdin (it reads EOF).
        const holder = this.stdinHolders.get(id);
        if (holder !== undefined) {
          this.stdinHolders.delete(id);
          closeSync(holder);
        }
      },
    };
  }

  /** CRI ReopenContainerLog: after the log file was moved away (outside rotation), write a new one. */
  async reopenLog(id: string): Promise<void> {
    const live = this.logs.get(id);
    if (!live) throw new Error(`container ${id} is not running`);
    await live.writer.reopen();
  }

  /**
   * The container's end of its stdin FIFO. Without stdinOnce it is opened read-write, so the
   * container never reads EOF however often clients attach and go. With stdinOnce it is
   * read-only and k8ts holds a writer until the first attached client is done; then the
   * container reads EOF, as with `kubectl run -i --rm`. (An agent restart closes that writer too.)
   */
  private openStdin(id: string, stdinOnce: boolean): number {
    const path = join(this.dir, id, 'stdin');
    if (!stdinOnce) return openSync(path, constants.O_RDWR);
    const holder = openSync(path, constants.O_RDWR);
    this.stdinHolders.set(id, holder);
    return openSync(path, constants.O_RDONLY);
  }

  /** Resolves when the container has exited (true) or the time is up (false). */
  waitForExit(id: string, timeoutMs: number): Promise<boolean> {
    if (this.exitFileCode(id) !== undefined) return Promise.resolve(true);
    return new Promise((resolve) => {
      const deadline = Date.now() + timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const listeners = this.exitListeners.get(id) ?? new Set<() => void>();
      this.exitListeners.set(id, listeners);
      const done = (exited: boolean): void => {
        clearTimeout(timer);
        listeners.delete(onExit);
        resolve(exited);
      };
      // Woken at once when this process started the supervisor; polled otherwise (a supervisor
      // from before an agent restart is not our child).
      const onExit = (): void => done(this.exitFileCode(id) !== undefined);
      listeners.add(onExit);
      const check = (): void => {
        if (this.exitFileCode(id) !== undefined) return done(true);
        const record = this.records.peek(id);
        if (!record?.supervisorPid || !processAlive(record.supervisorPid)) return done(this.exitFileCode(id) !== undefined);
        if (Date.now() > deadline) return done(false);
        timer = setTimeout(check, pollIntervalMs * 5);
      };
      check();
    });
  }

  /** Closes log readers for a clean agent shutdown; containers keep running. */
  async close(): Promise<void> {
    // Output written meanwhile waits in the pipes for the next agent's readers.
    for (const [, live] of this.logs) {
      for (const reader of live.readers) reader.destroy();
      await live.writer.close().catch(() => undefined);
    }
    this.logs.clear();
  }

  /** Applies `change` to the container's current record and saves it; writes are serialized per container. */
  private update(id: string, change: (record: ContainerRecord) => void | Promise<void>): Promise<ContainerRecord> {
    return this.records.update(id, () => this.record(id), change);
  }

  private record(id: string): ContainerRecord {
    const record = this.records.get(id);
    if (!record) throw new ContainerNotFoundError(id);
    return record;
  }

  private exitFileCode(id: string): number | undefined {
    const path = join(this.dir, id, 'exit');
    // Asked for every running container on each relist: a stat is far cheaper than a failed read's exception.
    if (!existsSync(path)) return undefined;
    try {
      const text = readFileSync(path, 'utf8').trim();
      return text === '' ? undefined : Number(text);
    } catch {
      return undefined;
    }
  }

  private notifyExit(id: string): void {
    for (const listener of [...(this.exitListeners.get(id) ?? [])]) listener();
    if (this.records.has(id)) void this.settle(this.record(id)).catch(() => undefined);
  }

  /** Records the exit (code, reason, finish time) once the exit file is there. */
  private async settle(record: ContainerRecord): Promise<void> {
    const code = this.exitFileCode(record.id);
    if (code === undefined) return;
    await this.finish(record.id, code);
  }

  private async finish(id: string, code: number): Promise<void> {
    await this.update(id, async (record) => {
      if (record.exitCode !== undefined) return;
      const oom = await this.options.cgroups.oomKilled(record.cgroupPath, code === 137 && !record.killedByRuntime).catch(() => false);
      record.exitCode = code;
      record.reason = oom ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error';
      record.finishedAtNs = nowNs();
    });
  }

  private async attachLogs(record: ContainerRecord): Promise<void> {
    if (this.logs.has(record.id)) return;
    await mkdir(dirname(record.logPath), { recursive: true });
    const writer = await CriLogWriter.open(record.logPath);
    const { readers, done: drained } = pumpOutput(join(this.dir, record.id), writer, (stream, chunk) => {
      for (const listener of this.attached.get(record.id) ?? []) listener(stream, chunk);
    });
    const done = drained.then(async () => {
      await writer.close();
      this.logs.delete(record.id);
    });
    this.logs.set(record.id, { writer, readers, done });
  }

  private async cleanUp(id: string): Promise<void> {
    const dir = join(this.dir, id);
    this.exitListeners.delete(id);
    this.attached.delete(id);
    await this.options.runtime.delete(id).catch(() => undefined);
    const live = this.logs.get(id);
    if (live) {
      await Promise.race([live.done, sleep(1000)]);
      for (const reader of live.readers) reader.destroy();
    }
    await run('umount', [join(dir, 'rootfs')]).catch(() => undefined);
    const record = this.records.peek(id);
    if (record) await this.options.cgroups.remove(record.cgroupPath).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    this.records.forget(id);
  }
}
