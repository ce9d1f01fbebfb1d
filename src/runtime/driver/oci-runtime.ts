// The OCI runtimes k8ts drives: runc and crun, behind one interface. Both are run with a --root
// under the k8ts data dir, so their state is ours alone. crun 1.8 refuses cgroup "hybrid" mode
// (v1 controllers plus an empty v2 mount at /sys/fs/cgroup/unified); it is run in a private
// mount namespace where that v2 mount is gone, so it sees a plain v1 machine.
import { existsSync, readFileSync } from 'node:fs';
import { runCommand } from '../exec/run-command.js';

const exec = (file: string, args: readonly string[], options: { timeout: number }) => runCommand(file, args, { timeoutMs: options.timeout });

export type OciRuntimeName = 'runc' | 'crun';
export const ociRuntimeNames: readonly OciRuntimeName[] = ['runc', 'crun'];
/** How long a runtime command (state, kill, delete) may take before it counts as hung. */
export const runtimeCommandTimeoutMs = 30_000;

export interface OciState {
  id: string;
  status: 'creating' | 'created' | 'running' | 'stopped' | 'paused';
  pid: number;
  bundle: string;
}

function binaryPath(name: OciRuntimeName): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/bin', '/usr/local/sbin']) {
    if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return undefined;
}

/** True on v1 machines that also mount an empty v2 hierarchy (systemd's "hybrid" layout). */
export function isHybridCgroups(): boolean {
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return false;
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => line.split(' ')[4] === '/sys/fs/cgroup/unified');
  } catch {
    return false;
  }
}

export function availableRuntimes(): OciRuntimeName[] {
  return ociRuntimeNames.filter((name) => binaryPath(name) !== undefined);
}

/** crun when present (it starts containers faster), else runc, as the issue's --runtime default. */
export function defaultRuntime(): OciRuntimeName {
  const available = availableRuntimes();
  if (available.includes('crun')) return 'crun';
  if (available.includes('runc')) return 'runc';
  throw new Error('no OCI runtime found: install runc or crun');
}

export class OciRuntime {
  readonly binary: string;
  private readonly hybrid: boolean;

  constructor(readonly name: OciRuntimeName, private readonly stateRoot: string) {
    const binary = binaryPath(name);
    if (!binary) throw new Error(`OCI runtime ${name} is not installed`);
    this.binary = binary;
    this.hybrid = name === 'crun' && isHybridCgroups();
  }

  /** The argv that runs `<runtime> --root <state> <args>`, wrapped for crun on hybrid cgroups. */
  argv(args: readonly string[]): string[] {
    const direct = [this.binary, '--root', this.stateRoot, ...args];
    if (!this.hybrid) return direct;
    const script = 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"';
    return ['unshare', '--mount', '--propagation', 'private', '/bin/sh', '-c', script, 'k8ts-crun', ...direct];
  }

  /** `run` in the foreground: the process stays the container's parent and exits with its status. */
  runArgv(bundle: string, id: string, pidFile: string): string[] {
    return this.argv(['run', '--bundle', bundle, '--pid-file', pidFile, id]);
  }

  async state(id: string): Promise<OciState | undefined> {
    const [command, ...args] = this.argv(['state', id]);
    try {
      const { stdout } = await exec(command!, args, { timeout: runtimeCommandTimeoutMs });
      return JSON.parse(stdout) as OciState;
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '');
      if (/does not exist|not found|No such file/i.test(stderr)) return undefined;
      throw new Error(`${this.name} state ${id}: ${stderr.trim() || (error as Error).message}`);
    }
  }

  async kill(id: string, signal: string, all = false): Promise<void> {
    const [command, ...args] = this.argv(['kill', ...(all ? ['--all'] : []), id, signal]);
    try {
      await exec(command!, args, { timeout: runtimeCommandTimeoutMs });
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '');
      // Already gone or already stopped: the signal has nothing to do.
      if (/does not exist|not running|process already finished|container not running|No such process|No such file or directory/i.test(stderr)) return;
      throw new Error(`${this.name} kill ${id} ${signal}: ${stderr.trim() || (error as Error).message}`);
    }
  }

  async delete(id: string): Promise<void> {
    const [command, ...args] = this.argv(['delete', '--force', id]);
    try {
      await exec(command!, args, { timeout: runtimeCommandTimeoutMs });
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '');
      if (/does not exist|not found|No such file/i.test(stderr)) return;
      throw new Error(`${this.name} delete ${id}: ${stderr.trim() || (error as Error).message}`);
    }
  }

  /** argv for `exec` of a process spec file in a running container. */
  execArgv(id: string, processFile: string, tty: boolean): string[] {
    return this.argv(['exec', ...(tty ? ['--tty'] : []), '--process', processFile, id]);
  }
}
