// RUN: the build state so far is registered as an intermediate image, a container runs the
// command on it in a host-network sandbox of the k8ts runtime, its output is relayed as it is
// logged, and its overlay upper directory becomes the step's layer.
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '../../runtime.js';
import { parseCriLogLine } from '../../logs/cri-log.js';
import type { TarWriteEntry } from '../tar-writer.js';

/** A RUN step that runs longer than this is stuck (a server started by mistake); it is killed. */
export const runStepTimeoutMs = 60 * 60 * 1000;
/** How often the step's log is read for new output. */
const logPollIntervalMs = 100;

export class RunStepError extends Error {
  constructor(readonly argv: string[], readonly exitCode: number) {
    super(`The command '${argv.join(' ')}' returned a non-zero code: ${exitCode}`);
  }
}

export interface BuildSandbox {
  runtime: Runtime;
  id: string;
  logDirectory: string;
}

export async function openBuildSandbox(runtime: Runtime, logDirectory: string): Promise<BuildSandbox> {
  const suffix = randomBytes(4).toString('hex');
  const id = await runtime.runPodSandbox({
    metadata: { name: `k8ts-build-${suffix}`, namespace: 'k8ts-build', uid: `k8ts-build-${suffix}`, attempt: 0 },
    hostname: 'k8ts-build',
    logDirectory,
    linux: { securityContext: { namespaceOptions: { network: 'NODE' } } },
  });
  return { runtime, id, logDirectory };
}

/** Reads whatever the log has gained since `offset`, printing complete CRI records. */
function relay(path: string, state: { offset: number; rest: string }, out: (text: string) => void): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= state.offset) return;
    const buffer = Buffer.alloc(size - state.offset);
    readSync(fd, buffer, 0, buffer.length, state.offset);
    state.offset = size;
    const text = state.rest + buffer.toString('utf8');
    const lines = text.split('\n');
    state.rest = lines.pop() ?? '';
    for (const line of lines) {
      const record = parseCriLogLine(line);
      if (record) out(record.partial ? record.content : `${record.content}\n`);
    }
  } finally {
    closeSync(fd);
  }
}

export interface RunStepOptions {
  sandbox: BuildSandbox;
  image: string;
  argv: string[];
  /** Build args, visible to the command but not kept in the image. */
  env: Record<string, string>;
  step: number;
  out: (text: string) => void;
}

/** Runs the step and hands its filesystem changes to `commit` (before the container, and its upper directory, go). */
export async function runStep<T>(options: RunStepOptions, commit: (changes: TarWriteEntry[]) => Promise<T>): Promise<T> {
  const { runtime } = options.sandbox;
  const logPath = `step-${options.step}-${randomBytes(3).toString('hex')}.log`;
  const id = await runtime.createContainer(options.sandbox.id, {
    metadata: { name: `step-${options.step}`, attempt: 0 },
    image: options.image,
    command: options.argv,
    envs: Object.entries(options.env).map(([key, value]) => ({ key, value })),
    logPath,
    linux: { securityContext: { namespaceOptions: { network: 'NODE' } } },
  });
  try {
    options.out(` ---> Running in ${id.slice(0, 12)}\n`);
    await runtime.startContainer(id);
    const state = { offset: 0, rest: '' };
    const path = join(options.sandbox.logDirectory, logPath);
    const deadline = Date.now() + runStepTimeoutMs;
    while (!(await runtime.waitForExit(id, logPollIntervalMs))) {
      relay(path, state, options.out);
      if (Date.now() > deadline) {
        await runtime.stopContainer(id, 0);
        throw new Error(`The command '${options.argv.join(' ')}' did not finish within ${runStepTimeoutMs / 60_000} minutes`);
      }
    }
    // The log reader may still be flushing the last lines.
    await new Promise((resolve) => setTimeout(resolve, 50));
    relay(path, state, options.out);
    const status = await runtime.containerStatus(id);
    if (status.exitCode !== 0) throw new RunStepError(options.argv, status.exitCode);
    return await commit(await runtime.containerChanges(id));
  } finally {
    await runtime.removeContainer(id).catch(() => undefined);
  }
}
