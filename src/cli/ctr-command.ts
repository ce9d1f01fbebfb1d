// `k8ts ctr run|ps|logs|exec|stop|rm`: the container runtime by hand, as the seeds use `docker
// run` and `docker exec`. Each `ctr run` container gets a sandbox of its own (its own network
// namespace on the k8ts-ctr0 bridge), like a one-container pod. State is the runtime's, under
// <data-dir>/runtime, so `ctr ps` also shows the containers the node agent runs.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync, watch } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ContainerStatus } from '../runtime/cri/types.js';
import { ociRuntimeNames, type OciRuntimeName } from '../runtime/driver/oci-runtime.js';
import { parseCriLogLine } from '../runtime/logs/cri-log.js';
import { Runtime } from '../runtime/runtime.js';
import { defaultNetworkList } from '../runtime/sandbox/cni.js';
import { flagValues, parseFlags, UsageError, type Command, type FlagSpec } from './flags.js';

/** The network of `ctr run` containers: podman's default range, on a bridge of its own. */
export const ctrBridge = 'k8ts-ctr0';
export const ctrSubnet = '10.88.0.0/16';
const ctrNamespace = 'k8ts-ctr';

const commonFlags: FlagSpec[] = [
  { name: 'data-dir', description: 'k8ts data directory (the runtime state is <data-dir>/runtime)', defaultText: '/var/lib/k8ts as root, ~/.k8ts otherwise' },
  { name: 'runtime', description: `OCI runtime: ${ociRuntimeNames.join(' or ')}`, defaultText: 'crun if installed, else runc' },
  { name: 'bridge', description: 'Bridge of the containers\' network', defaultText: 'k8ts-ctr0' },
  { name: 'subnet', description: 'Addresses of the containers\' network', defaultText: '10.88.0.0/16' },
];
const runFlags: FlagSpec[] = [
  ...commonFlags,
  { name: 'name', description: 'Name of the container' },
  { name: 'rm', description: 'Remove the container when it exits', boolean: true },
  { name: 'detach', short: 'd', description: 'Run in the background and print the container ID', boolean: true },
  { name: 'interactive', short: 'i', description: 'Keep standard input open', boolean: true },
  { name: 'tty', short: 't', description: 'Allocate a terminal', boolean: true },
  { name: 'env', short: 'e', description: 'Set an environment variable (KEY=VALUE)', repeatable: true },
  { name: 'memory', short: 'm', description: 'Memory limit in bytes (suffixes k, m, g)' },
  { name: 'pids-limit', description: 'Maximum number of processes' },
  { name: 'network', description: 'bridge (default) or host' },
];

function text(values: Map<string, string | boolean>, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/k8ts' : join(homedir(), '.k8ts');
}

/** `forRun`: the command starts containers, so the network's NAT rule is put in place (not for ps, exec, logs, …). */
async function openRuntime(values: Map<string, string | boolean>, forRun = false): Promise<Runtime> {
  const dataDir = typeof values.get('data-dir') === 'string' ? (values.get('data-dir') as string) : defaultDataDir();
  const root = join(dataDir, 'runtime');
  const runtime = values.get('runtime');
  if (runtime !== undefined && !ociRuntimeNames.includes(runtime as OciRuntimeName)) throw new UsageError(`unknown runtime "${String(runtime)}": choose ${ociRuntimeNames.join(' or ')}`);
  const bridge = text(values, 'bridge') ?? ctrBridge;
  const podCidr = text(values, 'subnet') ?? ctrSubnet;
  return Runtime.open({
    root,
    ...(typeof runtime === 'string' ? { runtime: runtime as OciRuntimeName } : {}),
    network: defaultNetworkList({ bridge, podCidr, ipamDataDir: join(root, 'ctr-ipam') }),
    netnsPrefix: 'k8ts-ctr-',
    ...(forRun ? { masquerade: { table: bridge, podCidr } } : {}),
  });
}

/** "-it" is "-i -t", as Docker reads it. */
function expandShortFlags(argv: readonly string[]): string[] {
  return argv.flatMap((arg) => (/^-[a-zA-Z]{2,}$/.test(arg) ? [...arg.slice(1)].map((c) => `-${c}`) : [arg]));
}

/** Flags come before the first positional argument; everything from the second one on is the command. */
function splitAtPositional(argv: readonly string[], specs: readonly FlagSpec[], positionals: number): { flagArgs: string[]; rest: string[] } {
  const flagArgs: string[] = [];
  let i = 0;
  let seen = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (/^-[a-zA-Z]{2,}$/.test(arg)) {
      flagArgs.push(...expandShortFlags([arg]));
      continue;
    }
    if (arg.startsWith('-')) {
      flagArgs.push(arg);
      const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : undefined;
      const spec = specs.find((s) => (name ? s.name === name : s.short === arg.slice(1)));
      if (spec && !spec.boolean && !arg.includes('=')) flagArgs.push(argv[++i] ?? '');
      continue;
    }
    flagArgs.push(arg);
    if (++seen === positionals) {
      i++;
      break;
    }
  }
  return { flagArgs, rest: argv.slice(i) };
}

export function parseMemory(text: string): number {
  const match = /^(\d+)([bkmg]?)$/i.exec(text.trim());
  if (!match) throw new UsageError(`invalid argument "${text}" for "--memory" flag: use a number with an optional k, m or g suffix`);
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase()]!;
  return Number(match[1]) * unit;
}

function shortId(id: string): string {
  return id.slice(0, 12);
}

function ago(ns: number): string {
  const seconds = Math.max(0, Math.round((Date.now() - ns / 1e6) / 1000));
  if (seconds < 60) return `${seconds} seconds`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.round(seconds / 86400)} days`;
}

function statusText(status: ContainerStatus): string {
  if (status.state === 'CONTAINER_RUNNING') return `Up ${ago(status.startedAt)}`;
  if (status.state === 'CONTAINER_EXITED') return `Exited (${status.exitCode}) ${ago(status.finishedAt)} ago`;
  if (status.state === 'CONTAINER_CREATED') return 'Created';
  return 'Unknown';
}

/** By full ID, unique ID prefix or container name. */
async function findContainer(runtime: Runtime, ref: string): Promise<ContainerStatus> {
  const all = await runtime.listContainers();
  const byName = all.filter((c) => c.metadata.name === ref);
  const byId = all.filter((c) => c.id.startsWith(ref));
  const matches = byName.length > 0 ? byName : byId;
  if (matches.length === 0) throw new UsageError(`No such container: ${ref}`);
  if (matches.length > 1) throw new UsageError(`multiple containers match "${ref}": use a longer ID`);
  return matches[0]!;
}

async function printLog(path: string, follow: boolean, isDone: () => Promise<boolean>): Promise<void> {
  let offset = 0;
  let tail = '';
  // The watcher, the timer and the final read may all fire at once: reads take turns.
  let turn: Promise<void> = Promise.resolve();
  const readMore = (): Promise<void> => (turn = turn.then(readNew, readNew));
  const readNew = async (): Promise<void> => {
    if (!existsSync(path)) return;
    const size = statSync(path).size;
    if (size < offset) offset = 0; // rotated
    if (size === offset) return;
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(path, { start: offset, end: size - 1 })) chunks.push(chunk as Buffer);
    offset = size;
    const lines = (tail + Buffer.concat(chunks).toString('utf8')).split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) {
      const record = parseCriLogLine(line);
      if (!record) continue;
      (record.stream === 'stderr' ? process.stderr : process.stdout).write(record.partial ? record.content : `${record.content}\n`);
    }
  };
  await readMore();
  if (!follow) return;
  await new Promise<void>((resolve) => {
    const watcher = existsSync(path) ? watch(path, () => void readMore()) : undefined;
    const timer = setInterval(async () => {
      await readMore();
      if (await isDone()) {
        clearInterval(timer);
        watcher?.close();
        // The last lines may reach the file just after the exit.
        setTimeout(() => void readMore().then(resolve), 100);
      }
    }, 100);
  });
}

async function run(values: Map<string, string | boolean>, image: string, cmd: string[]): Promise<number> {
  const runtime = await openRuntime(values, true);
  try {
    const name = typeof values.get('name') === 'string' ? (values.get('name') as string) : `ctr-${randomBytes(4).toString('hex')}`;
    if ((await runtime.listContainers()).some((c) => c.metadata.name === name)) throw new UsageError(`Conflict. The container name "${name}" is already in use`);
    const hostNetwork = values.get('network') === 'host';
    if (values.get('network') !== undefined && !['host', 'bridge'].includes(String(values.get('network')))) throw new UsageError('--network must be bridge or host');
    if (!runtime.images.find(image)) throw new Error(`Unable to find image '${image}' locally: load it with "k8ts image import" or "k8ts image pull"`);
    const sandbox = await runtime.runPodSandbox({
      metadata: { name, namespace: ctrNamespace, uid: randomBytes(8).toString('hex'), attempt: 0 },
      hostname: name.slice(0, 63),
      logDirectory: join(runtime.options.root, 'ctr-logs', name),
      ...(hostNetwork ? { linux: { securityContext: { namespaceOptions: { network: 'NODE' as const } } } } : {}),
    });
    const memory = values.get('memory');
    const pids = values.get('pids-limit');
    const id = await runtime.createContainer(sandbox, {
      metadata: { name, attempt: 0 },
      image,
      ...(cmd.length > 0 ? { command: cmd } : {}),
      envs: flagValues(values, 'env').map((entry) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? { key: entry, value: process.env[entry] ?? '' } : { key: entry.slice(0, eq), value: entry.slice(eq + 1) };
      }),
      logPath: `${name}/0.log`,
      labels: { 'io.k8ts.ctr': 'true' },
      linux: { resources: { ...(typeof memory === 'string' ? { memoryLimitInBytes: parseMemory(memory) } : {}), ...(typeof pids === 'string' ? { pidsLimit: Number(pids) } : {}) } },
    });
    const remove = async (): Promise<void> => {
      if (values.get('rm') === true) await runtime.removePodSandbox(sandbox);
    };
    if (values.get('tty') === true || values.get('interactive') === true) {
      const code = await runtime.runContainerAttached(id, { tty: values.get('tty') === true, interactive: values.get('interactive') === true });
      await remove();
      return code;
    }
    await runtime.startContainer(id);
    if (values.get('detach') === true) {
      process.stdout.write(`${id}\n`);
      return 0;
    }
    const logPath = (await runtime.containerStatus(id)).logPath;
    await printLog(logPath, true, async () => (await runtime.containerStatus(id)).state === 'CONTAINER_EXITED');
    const code = (await runtime.containerStatus(id)).exitCode;
    await remove();
    return code;
  } finally {
    await runtime.close();
  }
}

export const ctrCommand: Command = {
  name: 'ctr',
  summary: 'Run containers by hand: ctr run|ps|logs|exec|stop|rm',
  usage: 'k8ts ctr run [--rm] [-d] [-it] [-e K=V] [--name N] IMAGE [CMD...] | ps [-a] | logs [-f] C | exec [-it] C CMD... | stop [-t S] C | rm [-f] C',
  flags: [...runFlags, { name: 'all', short: 'a', description: 'ps: show stopped containers too', boolean: true }, { name: 'follow', short: 'f', description: 'logs: follow; rm: force', boolean: true }, { name: 'time', description: 'stop: seconds before SIGKILL', defaultText: '10' }],
  // ctr parses its own argv: a command after the image keeps its flags (`sh -c …`).
  rawArgs: true,
  async run(_values, args) {
    const argv = args;
    const sub = argv.find((arg) => !arg.startsWith('-'));
    if (!sub) throw new UsageError('a subcommand is required: run, ps, logs, exec, stop or rm');
    const afterSub = argv.slice(argv.indexOf(sub) + 1);
    const flags = ctrCommand.flags;
    switch (sub) {
      case 'run': {
        const { flagArgs, rest } = splitAtPositional(afterSub, flags, 1);
        const parsed = parseFlags(flags, flagArgs);
        const image = parsed.args[0];
        if (!image) throw new UsageError('"k8ts ctr run" requires at least 1 argument: IMAGE [COMMAND] [ARG...]');
        return run(parsed.values, image, rest);
      }
      case 'exec': {
        const { flagArgs, rest } = splitAtPositional(afterSub, flags, 1);
        const parsed = parseFlags(flags, flagArgs);
        const ref = parsed.args[0];
        if (!ref || rest.length === 0) throw new UsageError('"k8ts ctr exec" requires at least 2 arguments: CONTAINER COMMAND [ARG...]');
        const runtime = await openRuntime(parsed.values);
        try {
          const container = await findContainer(runtime, ref);
          const child = await runtime.exec(container.id, rest, { tty: parsed.values.get('tty') === true });
          if (parsed.values.get('interactive') === true) process.stdin.pipe(child.stdin!);
          else child.stdin!.end();
          child.stdout!.pipe(process.stdout);
          child.stderr!.pipe(process.stderr);
          return await new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
        } finally {
          await runtime.close();
        }
      }
      default: {
        const parsed = parseFlags(flags, expandShortFlags(afterSub));
        const runtime = await openRuntime(parsed.values);
        try {
          if (sub === 'ps') {
            const rows = (await runtime.listContainers()).filter((c) => parsed.values.get('all') === true || c.state === 'CONTAINER_RUNNING');
            const header = ['CONTAINER ID', 'IMAGE', 'CREATED', 'STATUS', 'NAMES'];
            const lines = rows.map((c) => [shortId(c.id), c.image, `${ago(c.createdAt)} ago`, statusText(c), c.metadata.name]);
            const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
            for (const line of [header, ...lines]) process.stdout.write(`${line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('')}\n`);
            return 0;
          }
          const ref = parsed.args[0];
          if (!ref) throw new UsageError(`"k8ts ctr ${sub}" requires a container`);
          const container = await findContainer(runtime, ref);
          if (sub === 'logs') {
            await printLog(container.logPath, parsed.values.get('follow') === true, async () => (await runtime.containerStatus(container.id)).state !== 'CONTAINER_RUNNING');
            return 0;
          }
          if (sub === 'stop') {
            await runtime.stopContainer(container.id, Number(parsed.values.get('time') ?? 10));
            process.stdout.write(`${container.metadata.name}\n`);
            return 0;
          }
          if (sub === 'rm') {
            if (container.state === 'CONTAINER_RUNNING' && parsed.values.get('follow') !== true) {
              throw new UsageError(`You cannot remove a running container ${container.id}. Stop the container before attempting removal or force remove (-f)`);
            }
            await runtime.removePodSandbox(container.podSandboxId);
            process.stdout.write(`${container.metadata.name}\n`);
            return 0;
          }
          throw new UsageError(`unknown subcommand "${sub}" for "k8ts ctr"`);
        } finally {
          await runtime.close();
        }
      }
    }
  },
};
