// Bare OCI runtime runs for the benchmarks' baselines: a bundle built by k8ts's own spec builder
// from the busybox image unpacked by umoci into a plain directory, run with `runc run` /
// `crun run` in the foreground and timed, and the clean-up of what a failed run leaves behind.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { OciRuntime, type OciRuntimeName } from '../../src/runtime/driver/oci-runtime.js';
import { defaultPath } from '../../src/runtime/oci/defaults.js';
import { bindMount, buildOciSpec } from '../../src/runtime/oci/spec.js';

const run = promisify(execFile);

/** Spawns argv, resolves with the wall time until it exits; throws unless it exits 0. */
export async function timedSpawn(argv: readonly string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  const elapsed = performance.now() - started;
  if (code !== 0) {
    if (child.stderr && !child.stderr.closed) await once(child.stderr, 'close').catch(() => undefined);
    throw new Error(`${argv.join(' ')}: exit ${code ?? signal}: ${stderr.trim()}`);
  }
  return elapsed;
}

/**
 * A bundle as k8ts would write it for the same container (k8ts's own spec builder: namespaces,
 * standard mounts, masked paths, capabilities, the RuntimeDefault seccomp profile, hosts/hostname/
 * resolv.conf bind mounts, /dev/shm), but with fresh namespaces of its own instead of a sandbox's,
 * and the rootfs the busybox image unpacked by umoci into a plain directory (no overlay).
 */
export async function prepareBareBundle(work: string, layout: string, cgroupParent: string, args: string[] = ['/bin/true']): Promise<string> {
  const bundle = join(work, 'bare-bundle');
  await run('umoci', ['unpack', '--image', `${layout}:latest`, bundle]);
  const files = join(work, 'bare-files');
  mkdirSync(files);
  writeFileSync(join(files, 'hosts'), '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n');
  writeFileSync(join(files, 'hostname'), 'bare\n');
  writeFileSync(join(files, 'resolv.conf'), readFileSync('/etc/resolv.conf'));
  const spec = buildOciSpec({
    rootfs: join(bundle, 'rootfs'),
    args,
    env: [defaultPath],
    cwd: '/',
    uid: 0,
    gid: 0,
    terminal: false,
    hostname: 'bare',
    mounts: [
      bindMount(join(files, 'hosts'), '/etc/hosts'),
      bindMount(join(files, 'hostname'), '/etc/hostname'),
      bindMount(join(files, 'resolv.conf'), '/etc/resolv.conf'),
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    ],
    cgroupsPath: `${cgroupParent}/bare`,
  });
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
  return bundle;
}

/**
 * Another bundle over the same rootfs with a cgroup of its own, for running several bare
 * containers at once (runc and crun refuse to share a container cgroup).
 */
export function bareBundleSlot(bundle: string, slot: number): string {
  const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as { root: { path: string }; linux: { cgroupsPath: string } };
  const copy = `${bundle}-${slot}`;
  mkdirSync(copy, { recursive: true });
  spec.root.path = resolve(bundle, spec.root.path);
  spec.linux.cgroupsPath = `${spec.linux.cgroupsPath}-${slot}`;
  writeFileSync(join(copy, 'config.json'), JSON.stringify(spec));
  return copy;
}

/** `<runtime> --root <state> run --bundle <bundle> <id>` in the foreground (crun through k8ts's unshare wrapper on hybrid cgroups). */
export function bareRun(oci: OciRuntime, bundle: string, id: string): Promise<number> {
  return timedSpawn(oci.argv(['run', '--bundle', bundle, id]));
}

function cgroupHierarchies(): string[] {
  const base = '/sys/fs/cgroup';
  if (existsSync(join(base, 'cgroup.controllers'))) return [base];
  return readdirSync(base).map((name) => join(base, name)).filter((dir) => existsSync(join(dir, 'cgroup.procs')));
}

/** Removes a cgroup subtree (leaves first) in every hierarchy; the cgroups must be empty of processes. */
export function removeCgroupTree(path: string, log: (message: string) => void): void {
  const remove = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) remove(join(dir, entry.name));
    try {
      rmdirSync(dir);
    } catch (error) {
      log(`could not remove cgroup ${dir}: ${(error as Error).message}`);
    }
  };
  for (const base of cgroupHierarchies()) remove(join(base, path));
}

/** Deletes bare containers a failure left in the state dirs under stateRoot (a normal `run` deletes its own). */
export async function removeBareContainers(stateRoot: string, names: readonly OciRuntimeName[]): Promise<void> {
  for (const name of names) {
    const oci = new OciRuntime(name, join(stateRoot, name));
    const [command, ...args] = oci.argv(['list', '-q']);
    const listed = await run(command!, args).then((r) => r.stdout.split('\n').filter(Boolean), () => [] as string[]);
    for (const id of listed) await oci.delete(id).catch(() => undefined);
  }
}
