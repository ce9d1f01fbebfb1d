// What each Dockerfile instruction does to the build state: most change the config; COPY, ADD
// and RUN make a layer through `layerStep`, which consults the build cache first.
import type { Descriptor } from '../manifest.js';
import type { TarWriteEntry } from '../tar-writer.js';
import { archiveKind, planArchive } from './archive.js';
import { BuildContextError, destinationPath, planCopy, resolveSources, type BuildContext } from './context.js';
import type { Instruction } from './dockerfile.js';
import { BuildError, setEnv, type State } from './state.js';
import { expandWords, keyValuePairs, type Lookup } from './words.js';

function parseChown(text: string, line: number): { uid: number; gid: number } {
  const [user = '', group = user] = text.split(':');
  const id = (part: string) => (part === 'root' ? 0 : /^\d+$/.test(part) ? Number(part) : undefined);
  const uid = id(user);
  const gid = id(group);
  if (uid === undefined || gid === undefined) throw new BuildError(`line ${line}: --chown=${text}: only numeric ids (or root) are supported`);
  return { uid, gid };
}

export function argPairs(instruction: Instruction): [string, string | undefined][] {
  return instruction.text.split(/\s+/).filter(Boolean).map((word) => {
    const eq = word.indexOf('=');
    if (eq < 0) return [word, undefined];
    return [word.slice(0, eq), expandWords(word.slice(eq + 1), () => undefined, false)[0] ?? ''];
  });
}

export function historyText(instruction: Instruction): string {
  const args = instruction.json ? JSON.stringify(instruction.json) : instruction.text;
  const flags = Object.entries(instruction.flags).map(([k, v]) => `--${k}=${v} `).join('');
  const text = instruction.keyword === 'RUN' && !instruction.json ? `RUN /bin/sh -c ${args}` : `${instruction.keyword} ${flags}${args}`;
  return `${text} # buildkit`;
}

export type Commit = (entries: Iterable<TarWriteEntry> | AsyncIterable<TarWriteEntry>) => Promise<{ descriptor: Descriptor; diffId: string }>;
export type LayerStep = (description: string, produce: (commit: Commit) => Promise<{ descriptor: Descriptor; diffId: string }>) => Promise<{ key: string; layer: Descriptor; diffId: string }>;

export interface StepHelpers {
  context: BuildContext;
  runArgv: (argv: string[], env: Record<string, string>) => Promise<(commit: Commit) => Promise<{ descriptor: Descriptor; diffId: string }>>;
  buildArgEnv: () => Record<string, string>;
  metaDefault: (name: string) => string | undefined;
  /** Runs `use` with the merged filesystem of an earlier stage (by name or index) or an image. */
  fromFilesystem: <T>(from: string, use: (dir: string) => Promise<T>) => Promise<T>;
}

/** Applies one instruction to the state; returns the layer it made, if it makes one. */
export async function applyInstruction(instruction: Instruction, state: State, lookup: Lookup, layerStep: LayerStep, helpers: StepHelpers): Promise<{ key: string; layer: Descriptor; diffId: string } | undefined> {
  const config = state.config.config;
  const at = `line ${instruction.line}`;
  switch (instruction.keyword) {
    case 'ENV':
      for (const [key, value] of keyValuePairs(instruction.text, lookup, 'ENV')) setEnv(state.config, key, value);
      return undefined;
    case 'ARG':
      // "ARG NAME" in a stage takes the default of an ARG NAME=… declared before the first FROM.
      for (const [name, value] of argPairs(instruction)) state.args.set(name, value === undefined ? helpers.metaDefault(name) : expandWords(value, lookup, false)[0] ?? '');
      return undefined;
    case 'LABEL':
      config.Labels = { ...config.Labels, ...Object.fromEntries(keyValuePairs(instruction.text, lookup, 'LABEL')) };
      return undefined;
    case 'MAINTAINER':
      (state.config as { author?: string }).author = instruction.text;
      return undefined;
    case 'WORKDIR': {
      const dir = expandWords(instruction.text, lookup, false)[0] ?? '';
      config.WorkingDir = destinationPath(dir, config.WorkingDir ?? '/').replace(/(.)\/$/, '$1');
      return undefined;
    }
    case 'USER':
      config.User = expandWords(instruction.text, lookup, false)[0] ?? '';
      return undefined;
    case 'EXPOSE':
      config.ExposedPorts = { ...config.ExposedPorts };
      for (const port of expandWords(instruction.text, lookup)) config.ExposedPorts[port.includes('/') ? port : `${port}/tcp`] = {};
      return undefined;
    case 'VOLUME': {
      config.Volumes = { ...config.Volumes };
      for (const volume of instruction.json ?? expandWords(instruction.text, lookup)) config.Volumes[volume] = {};
      return undefined;
    }
    case 'STOPSIGNAL':
      config.StopSignal = expandWords(instruction.text, lookup, false)[0] ?? '';
      return undefined;
    case 'SHELL':
      if (!instruction.json || instruction.json.length === 0) throw new BuildError(`${at}: SHELL requires the arguments to be in JSON form`);
      state.shell = instruction.json;
      return undefined;
    case 'CMD':
      config.Cmd = instruction.json ?? [...state.shell, instruction.text];
      state.cmdSet = true;
      return undefined;
    case 'ENTRYPOINT':
      config.Entrypoint = instruction.json ?? [...state.shell, instruction.text];
      // An ENTRYPOINT resets a CMD inherited from the base image, as Docker does.
      if (!state.cmdSet) config.Cmd = null;
      return undefined;
    case 'COPY':
    case 'ADD':
      return copyOrAdd(instruction, state, lookup, layerStep, helpers);
    case 'RUN': {
      const argv = instruction.json ?? [...state.shell, instruction.text];
      const env = helpers.buildArgEnv();
      const description = `RUN ${JSON.stringify(argv)} ${JSON.stringify(env)} ${JSON.stringify({ Env: config.Env, User: config.User, WorkingDir: config.WorkingDir })}`;
      return layerStep(description, async (commit) => (await helpers.runArgv(argv, env))(commit));
    }
    default:
      throw new BuildError(`${at}: ${instruction.keyword} is not supported by k8ts image build`);
  }
}

async function copyOrAdd(instruction: Instruction, state: State, lookup: Lookup, layerStep: LayerStep, helpers: StepHelpers): Promise<{ key: string; layer: Descriptor; diffId: string }> {
  const at = `line ${instruction.line}`;
  for (const flag of Object.keys(instruction.flags)) {
    if (flag === 'from' && instruction.keyword === 'ADD') throw new BuildError(`${at}: ADD does not support --from; use COPY --from`);
    if (flag !== 'chown' && flag !== 'chmod' && flag !== 'from') throw new BuildError(`${at}: unknown flag: --${flag}`);
  }
  const from = instruction.flags.from;
  if (from !== undefined) {
    const expandedFrom = expandWords(from, lookup, false)[0] ?? '';
    // Files of another stage or image: the same COPY, with that filesystem as the context.
    return helpers.fromFilesystem(expandedFrom, (dir) => copyFrom(instruction, state, lookup, layerStep, { dir, ignore: [] }, `--from=${expandedFrom} `));
  }
  return copyFrom(instruction, state, lookup, layerStep, helpers.context, '');
}

async function copyFrom(instruction: Instruction, state: State, lookup: Lookup, layerStep: LayerStep, context: BuildContext, keyPrefix: string): Promise<{ key: string; layer: Descriptor; diffId: string }> {
  const at = `line ${instruction.line}`;
  const words = instruction.json ?? expandWords(instruction.text, lookup);
  if (words.length < 2) throw new BuildError(`${at}: ${instruction.keyword} requires at least two arguments, but only one was provided. Destination could not be determined`);
  const dest = destinationPath(words[words.length - 1]!, state.config.config.WorkingDir ?? '/');
  const patterns = words.slice(0, -1);
  const chown = instruction.flags.chown ? parseChown(expandWords(instruction.flags.chown, lookup, false)[0] ?? '', instruction.line) : undefined;
  if (instruction.keyword === 'ADD') {
    const url = patterns.find((p) => /^[a-z]+:\/\//i.test(p));
    if (url) throw new BuildError(`${at}: ADD of a URL (${url}) is not supported by k8ts image build: download it into the build context and COPY it`);
  }
  try {
    const sources = await resolveSources(context, patterns);
    if (instruction.keyword === 'ADD' && sources.length === 1) {
      const kind = await archiveKind(sources[0]!.abs).catch(() => undefined);
      if (kind) {
        const plan = await planArchive(sources[0]!.abs, kind, dest);
        return await layerStep(`ADD archive ${plan.contentDigest} ${dest}`, (commit) => commit(plan.entries));
      }
    }
    const plan = await planCopy(sources, { dest, chown, ignore: context.ignore });
    if (instruction.flags.chmod) {
      const mode = Number.parseInt(instruction.flags.chmod, 8);
      if (Number.isNaN(mode)) throw new BuildError(`${at}: invalid --chmod=${instruction.flags.chmod}: only octal modes are supported`);
      for (const entry of plan.entries) if (entry.header.type === 'file' || entry.header.type === 'directory') entry.header.mode = mode;
    }
    return await layerStep(`${instruction.keyword} ${keyPrefix}${plan.contentDigest} ${dest} ${instruction.flags.chmod ?? ''}`, (commit) => commit(plan.entries));
  } catch (error) {
    if (error instanceof BuildContextError) throw new BuildError(instruction.keyword === 'ADD' ? error.message.replace(/^COPY failed/, 'ADD failed') : error.message);
    throw error;
  }
}

