// `k8ts image build`: runs a Dockerfile's instructions in order over a build state (image config
// + layers). COPY, ADD and RUN each add one gzip layer, reused from the build cache when the
// step and everything before it are unchanged; the other instructions change the config and
// add an empty_layer history entry. The result is an OCI config and manifest in the store, tagged.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Runtime } from '../../runtime.js';
import type { ImageRecord, ImageStore } from '../image-store.js';
import { hostPlatform } from '../manifest.js';
import { normalizeReference } from '../reference.js';
import type { RegistryOptions } from '../registry/options.js';
import { pullImage } from '../registry/pull.js';
import { BuildCache, stepKey } from './cache.js';
import type { BuildContext } from './context.js';
import { parseDockerfile, type Instruction } from './dockerfile.js';
import { parseDockerignore } from './dockerignore.js';
import { applyInstruction, argPairs, historyText } from './instructions.js';
import { commitLayer } from './layer.js';
import { openBuildSandbox, runStep, type BuildSandbox } from './run-step.js';
import { withImageFilesystem } from './stage-fs.js';
import { BuildError, envMap, finalConfig, registerState, writeImage, type State } from './state.js';
import { expandWords, type Lookup } from './words.js';

export { BuildError };

/** BuildKit gives FROM scratch images this PATH, so RUN finds its commands. */
export const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** ARGs every build knows without declaring them (Docker's predefined proxy args). */
const predefinedArgs = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);

export interface BuildOptions {
  store: ImageStore;
  /** Needed for RUN; its image store must be `store`. */
  runtime?: Runtime;
  contextDir: string;
  /** Defaults to <contextDir>/Dockerfile. */
  dockerfile?: string;
  tags: string[];
  buildArgs?: Record<string, string>;
  noCache?: boolean;
  /** The stage to build (its name); the last stage by default. */
  target?: string;
  /** Where the build cache and temporary files live (the image store's directory). */
  stateDir: string;
  /** For pulling FROM images the store lacks. */
  registry?: RegistryOptions;
  out?: (text: string) => void;
}

export interface BuildResult {
  record: ImageRecord;
  /** The image ID (config digest). */
  id: string;
  /** Steps whose layer came from the cache. */
  cachedSteps: number;
}


export async function buildImage(options: BuildOptions): Promise<BuildResult> {
  const out = options.out ?? (() => undefined);
  const contextDir = resolve(options.contextDir);
  const dockerfilePath = options.dockerfile ? resolve(options.dockerfile) : join(contextDir, 'Dockerfile');
  if (!existsSync(dockerfilePath)) throw new BuildError(`failed to read dockerfile: open ${dockerfilePath}: no such file or directory`);
  const instructions = parseDockerfile(await readFile(dockerfilePath, 'utf8'));
  const ignoreFile = join(contextDir, '.dockerignore');
  const context: BuildContext = { dir: contextDir, ignore: existsSync(ignoreFile) ? parseDockerignore(await readFile(ignoreFile, 'utf8')) : [] };
  const tags = options.tags.map((tag) => normalizeReference(tag));
  await mkdir(options.stateDir, { recursive: true });
  const scratch = await mkdtemp(join(options.stateDir, 'build-'));
  const cache = new BuildCache(join(options.stateDir, 'build-cache.json'));
  await cache.load();
  const buildArgs = options.buildArgs ?? {};
  const usedArgs = new Set<string>();
  const intermediates: string[] = [];
  const buildId = randomBytes(6).toString('hex');
  let sandbox: BuildSandbox | undefined;
  let cachedSteps = 0;
  let state: State | undefined;
  const metaArgs = new Map<string, string | undefined>();
  const stages: State[] = [];

  const argValue = (name: string, declared: Map<string, string | undefined>): string | undefined => {
    if (!declared.has(name)) return undefined;
    if (name in buildArgs) {
      usedArgs.add(name);
      return buildArgs[name];
    }
    return declared.get(name);
  };

  try {
    for (const [index, instruction] of instructions.entries()) {
      out(`Step ${index + 1}/${instructions.length} : ${instruction.keyword} ${instruction.text}\n`);
      if (!state && instruction.keyword === 'ARG') {
        for (const [name, value] of argPairs(instruction)) metaArgs.set(name, value);
        continue;
      }
      if (instruction.keyword === 'FROM') {
        if (state) {
          if (state.name === options.target?.toLowerCase()) break;
          stages.push(state);
        }
        state = await fromInstruction(instruction, (name) => argValue(name, metaArgs), options, stages);
        out(` ---> ${state.key === 'scratch' ? 'scratch' : state.key.slice(7, 19)}\n`);
        continue;
      }
      if (!state) throw new BuildError(`line ${instruction.line}: the first instruction must be FROM`);
      const current = state;
      const env = envMap(current.config);
      // ENV wins over ARG of the same name, as in Docker.
      const lookup: Lookup = (name) => env.get(name) ?? argValue(name, current.args) ?? (predefinedArgs.has(name) ? buildArgs[name] : undefined);
      const layerStep = await applyInstruction(instruction, current, lookup, async (description, produce) => {
        const key = stepKey(current.key, description);
        const hit = options.noCache ? undefined : cache.get(key);
        if (hit && (await options.store.content.has(hit.layer.digest))) {
          out(' ---> Using cache\n');
          cachedSteps++;
          return { key, layer: hit.layer, diffId: hit.diffId };
        }
        const committed = await produce(async (entries) => commitLayer(options.store.content, entries, scratch));
        await cache.put(key, { layer: committed.descriptor, diffId: committed.diffId, createdAt: new Date().toISOString() });
        return { key, layer: committed.descriptor, diffId: committed.diffId };
      }, {
        context,
        runArgv: async (argv, runEnv) => {
          const image = `k8ts-build/${buildId}:step-${index + 1}`;
          await registerState(options.store, current, image);
          intermediates.push(image);
          if (!options.runtime) throw new BuildError('RUN needs the k8ts runtime (run the build as root)');
          sandbox ??= await openBuildSandbox(options.runtime, join(scratch, 'logs'));
          const activeSandbox = sandbox;
          return (commit) => runStep({ sandbox: activeSandbox, image, argv, env: runEnv, step: index + 1, out }, commit);
        },
        metaDefault: (name) => metaArgs.get(name),
        fromFilesystem: async (from, use) => {
          const stage = /^\d+$/.test(from) ? stages[Number(from)] : stages.find((st) => st.name === from.toLowerCase());
          let image = from;
          if (stage) {
            image = `k8ts-build/${buildId}:stage-${stages.indexOf(stage)}`;
            await registerState(options.store, stage, image);
            intermediates.push(image);
          } else if (!options.store.find(from)) {
            out(`Pulling ${from}\n`);
            await pullImage(options.store, from, options.registry ?? {});
          }
          return withImageFilesystem(options.store, image, scratch, use);
        },
        buildArgEnv: () => {
          const values: Record<string, string> = {};
          for (const name of current.args.keys()) {
            const value = argValue(name, current.args);
            if (value !== undefined && !env.has(name)) values[name] = value;
          }
          return values;
        },
      });
      if (layerStep) {
        current.layers.push(layerStep.layer);
        current.config.rootfs.diff_ids.push(layerStep.diffId);
        current.key = layerStep.key;
      } else {
        current.key = stepKey(current.key, `${instruction.keyword} ${JSON.stringify(current.config.config)} ${JSON.stringify([...current.args])}`);
      }
      current.config.history.push({
        created: new Date().toISOString(),
        created_by: historyText(instruction),
        comment: 'buildkit.dockerfile.v0',
        ...(layerStep ? {} : { empty_layer: true }),
      });
      out(` ---> ${current.key.slice(7, 19)}\n`);
    }
    if (!state) throw new BuildError('no FROM instruction');
    if (options.target && state.name !== options.target.toLowerCase()) throw new BuildError(`failed to reach build target ${options.target} in Dockerfile`);
    const unused = Object.keys(buildArgs).filter((name) => !usedArgs.has(name) && !predefinedArgs.has(name));
    if (unused.length > 0) out(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
    const cachedConfig = options.noCache ? undefined : cache.config(state.key);
    const configBytes = cachedConfig ?? JSON.stringify(finalConfig(state));
    if (!cachedConfig) await cache.putConfig(state.key, configBytes);
    const record = await writeImage(options.store, state, Buffer.from(configBytes), tags);
    out(`Successfully built ${record.id.slice(7, 19)}\n`);
    for (const tag of options.tags) out(`Successfully tagged ${tag.includes(':') ? tag : `${tag}:latest`}\n`);
    return { record, id: record.id, cachedSteps };
  } finally {
    if (sandbox && options.runtime) await options.runtime.removePodSandbox(sandbox.id).catch(() => undefined);
    for (const name of intermediates) await options.store.remove(name).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}

async function fromInstruction(instruction: Instruction, lookup: Lookup, options: BuildOptions, stages: readonly State[]): Promise<State> {
  const words = expandWords(instruction.text, lookup);
  const base = words[0];
  if (!base) throw new BuildError(`line ${instruction.line}: FROM requires the name of an image`);
  if (words.length > 1 && !(words.length === 3 && words[1]!.toLowerCase() === 'as')) throw new BuildError(`line ${instruction.line}: FROM requires either one or three arguments`);
  const name = words[2]?.toLowerCase();
  if (name && stages.some((stage) => stage.name === name)) throw new BuildError(`line ${instruction.line}: duplicate stage name "${name}"`);
  const stage = stages.find((st) => st.name === base.toLowerCase());
  if (stage) {
    // A later stage built on an earlier one: a copy of its state, so both can go on independently.
    const copy = JSON.parse(JSON.stringify({ config: stage.config, layers: stage.layers })) as Pick<State, 'config' | 'layers'>;
    return { ...copy, key: stage.key, args: new Map(), shell: [...stage.shell], cmdSet: stage.cmdSet, ...(name ? { name } : {}) };
  }
  return { ...(await baseState(base, options)), ...(name ? { name } : {}) };
}

async function baseState(base: string, options: BuildOptions): Promise<State> {
  const platform = hostPlatform();
  if (base === 'scratch') {
    return {
      config: { architecture: platform.architecture, os: platform.os, config: { Env: [defaultPath] }, rootfs: { type: 'layers', diff_ids: [] }, history: [] },
      layers: [],
      key: 'scratch',
      args: new Map(),
      shell: ['/bin/sh', '-c'],
      cmdSet: false,
    };
  }
  if (!options.store.find(base)) {
    options.out?.(`Pulling ${base}\n`);
    await pullImage(options.store, base, options.registry ?? {});
  }
  const image = await options.store.resolve(base);
  const config = JSON.parse(JSON.stringify(image.config)) as State['config'];
  config.config ??= {};
  config.history ??= [];
  config.architecture ??= platform.architecture;
  config.os ??= platform.os;
  return { config, layers: [...image.manifest.layers], key: image.record.manifestDigest, args: new Map(), shell: ['/bin/sh', '-c'], cmdSet: false };
}
