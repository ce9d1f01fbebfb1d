// `k8ts image build|pull|push|tag|ls|rm|inspect|import|prune`: the node's image store from
// the command line, with the Docker CLI's output and error messages. The store is the
// runtime's: <data-dir>/runtime/images (or <root>/images with --root).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildImage } from '../runtime/images/build/builder.js';
import { BuildCache } from '../runtime/images/build/cache.js';
import { parseDockerfile } from '../runtime/images/build/dockerfile.js';
import { garbageCollectImages } from '../runtime/images/gc.js';
import { ImageStore, type ImageRecord } from '../runtime/images/image-store.js';
import { importImages } from '../runtime/images/import.js';
import { parseReference } from '../runtime/images/reference.js';
import { credentialsFor, loadDockerConfig, type DockerConfig } from '../runtime/images/registry/credentials.js';
import type { RegistryOptions } from '../runtime/images/registry/options.js';
import { ProgressPrinter } from '../runtime/images/registry/progress.js';
import { pullImage } from '../runtime/images/registry/pull.js';
import { pushImage } from '../runtime/images/registry/push.js';
import { Runtime } from '../runtime/runtime.js';
import { flagValues, UsageError, type Command } from './flags.js';
import { familiarName, humanDuration, humanSize, repositoryAndTag, table } from './image-format.js';

type Values = Map<string, string | boolean>;

function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/k8ts' : join(homedir(), '.k8ts');
}

function runtimeRoot(values: Values): string {
  const root = values.get('root');
  if (typeof root === 'string') return root;
  const dataDir = values.get('data-dir');
  return join(typeof dataDir === 'string' ? dataDir : defaultDataDir(), 'runtime');
}

async function openStore(values: Values): Promise<ImageStore> {
  const store = new ImageStore(join(runtimeRoot(values), 'images'));
  await store.init();
  return store;
}

/** --docker-config, else $DOCKER_CONFIG/config.json or ~/.docker/config.json when there. */
async function registryOptions(values: Values, withProgress: boolean): Promise<RegistryOptions> {
  const explicit = values.get('docker-config');
  const candidates = typeof explicit === 'string' ? [explicit] : [join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json')];
  let config: DockerConfig | undefined;
  for (const file of candidates) if (typeof explicit === 'string' || existsSync(file)) config = await loadDockerConfig(file);
  return {
    ...(config ? { auth: (domain: string, path: string) => credentialsFor(config!, domain, path) } : {}),
    insecureRegistries: flagValues(values, 'insecure-registry'),
    mirrors: flagValues(values, 'registry-mirror'),
    caFile: flagValues(values, 'registry-ca-file'),
    ...(withProgress ? { onProgress: new ProgressPrinter(process.stdout).handle } : {}),
  };
}

class DaemonError extends Error {}

function needArgs(args: string[], count: number, usage: string): void {
  if (args.length < count) throw new UsageError(`"k8ts image ${usage}" requires at least ${count} argument${count > 1 ? 's' : ''}`);
}

async function build(values: Values, args: string[]): Promise<number> {
  needArgs(args, 1, 'build');
  const contextDir = args[0]!;
  const dockerfile = typeof values.get('file') === 'string' ? (values.get('file') as string) : join(contextDir, 'Dockerfile');
  if (!existsSync(dockerfile)) throw new DaemonError(`failed to read dockerfile: open ${dockerfile}: no such file or directory`);
  const instructions = parseDockerfile(await readFile(dockerfile, 'utf8'));
  const needsRuntime = instructions.some((i) => i.keyword === 'RUN' || (i.keyword === 'COPY' && i.flags.from !== undefined));
  if (needsRuntime && process.getuid?.() !== 0) throw new DaemonError('this Dockerfile has RUN steps (or COPY --from), which run as containers or mount overlays: k8ts image build needs root for it');
  const root = runtimeRoot(values);
  // RUN steps run as containers: the runtime (as root) owns the store then, so both see one set of images.
  const runtime = needsRuntime ? await Runtime.open({ root, ...(typeof values.get('runtime') === 'string' ? { runtime: values.get('runtime') as 'runc' | 'crun' } : {}) }) : undefined;
  try {
    const store = runtime?.images ?? (await openStore(values));
    const buildArgs: Record<string, string> = {};
    for (const pair of flagValues(values, 'build-arg')) {
      const eq = pair.indexOf('=');
      // "--build-arg NAME" takes the value from the environment, as docker build does.
      if (eq < 0) {
        if (process.env[pair] !== undefined) buildArgs[pair] = process.env[pair]!;
      } else buildArgs[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const quiet = values.get('quiet') === true;
    const result = await buildImage({
      store,
      ...(runtime ? { runtime } : {}),
      contextDir,
      dockerfile,
      tags: flagValues(values, 'tag'),
      buildArgs,
      noCache: values.get('no-cache') === true,
      ...(typeof values.get('target') === 'string' ? { target: values.get('target') as string } : {}),
      stateDir: join(root, 'images'),
      registry: await registryOptions(values, !quiet),
      out: quiet ? () => undefined : (text) => process.stdout.write(text),
    });
    if (quiet) process.stdout.write(`${result.id}\n`);
    return 0;
  } finally {
    await runtime?.close();
  }
}

async function pull(values: Values, args: string[]): Promise<number> {
  needArgs(args, 1, 'pull');
  const reference = args[0]!;
  const ref = parseReference(reference);
  const store = await openStore(values);
  const before = store.find(reference)?.manifestDigest;
  if (!reference.includes(':') && !reference.includes('@')) process.stdout.write('Using default tag: latest\n');
  process.stdout.write(`${ref.tag ?? ref.digest}: Pulling from ${ref.path}\n`);
  const result = await pullImage(store, reference, await registryOptions(values, true));
  process.stdout.write(`Digest: ${result.digest}\n`);
  const shown = familiarName(result.record.names.find((n) => n === `${ref.domain}/${ref.path}:${ref.tag}`) ?? reference);
  process.stdout.write(before === result.record.manifestDigest ? `Status: Image is up to date for ${shown}\n` : `Status: Downloaded newer image for ${shown}\n`);
  process.stdout.write(`${ref.tag ? `${ref.domain}/${ref.path}:${ref.tag}` : `${ref.domain}/${ref.path}@${ref.digest}`}\n`);
  return 0;
}

async function push(values: Values, args: string[]): Promise<number> {
  needArgs(args, 1, 'push');
  const source = args[0]!;
  const target = args[1] ?? source;
  const store = await openStore(values);
  if (!store.find(source)) throw new DaemonError(`An image does not exist locally with the tag: ${familiarName(source)}`);
  const ref = parseReference(target);
  process.stdout.write(`The push refers to repository [${ref.domain}/${ref.path}]\n`);
  const options = await registryOptions(values, true);
  const result = await pushImage(store, source, target, { ...options, chunked: values.get('chunked') === true });
  process.stdout.write(`${ref.tag ?? 'latest'}: digest: ${result.digest} size: ${result.size}\n`);
  return 0;
}

async function list(values: Values): Promise<number> {
  const store = await openStore(values);
  const rows: string[][] = [['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE']];
  const now = Date.now();
  for (const record of store.list()) {
    const created = await createdOf(store, record);
    const createdText = created ? `${humanDuration(now - Date.parse(created))} ago` : 'N/A';
    const names = record.names.length > 0 ? record.names : ['<none>:<none>'];
    for (const name of names) {
      const [repository, tag] = name === '<none>:<none>' ? ['<none>', '<none>'] : repositoryAndTag(name);
      rows.push([repository, tag, record.id.slice(7, 19), createdText, humanSize(record.size)]);
    }
  }
  process.stdout.write(values.get('quiet') === true ? [...new Set(store.list().map((r) => r.id.slice(7, 19)))].join('\n') + (store.list().length ? '\n' : '') : table(rows));
  return 0;
}

async function createdOf(store: ImageStore, record: ImageRecord): Promise<string | undefined> {
  try {
    return (await store.resolve(record.id)).config.created;
  } catch {
    return undefined;
  }
}

async function remove(values: Values, args: string[]): Promise<number> {
  needArgs(args, 1, 'rm');
  const store = await openStore(values);
  let failed = false;
  for (const reference of args) {
    const record = store.find(reference);
    if (!record) {
      process.stderr.write(`Error response from daemon: No such image: ${reference.includes(':') || reference.includes('@') || /^[a-f0-9]{6,64}$/.test(reference) ? reference : `${reference}:latest`}\n`);
      failed = true;
      continue;
    }
    const names = [...record.names];
    const removed = await store.remove(reference);
    for (const name of names.filter((n) => !removed.names.includes(n))) process.stdout.write(`Untagged: ${familiarName(name)}\n`);
    if (!store.list().includes(removed)) process.stdout.write(`Deleted: ${removed.id}\n`);
  }
  return failed ? 1 : 0;
}

async function inspect(values: Values, args: string[]): Promise<number> {
  needArgs(args, 1, 'inspect');
  const store = await openStore(values);
  const out: unknown[] = [];
  for (const reference of args) {
    if (!store.find(reference)) {
      process.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
      throw new DaemonError(`No such image: ${reference}`);
    }
    const image = await store.resolve(reference);
    out.push({
      Id: image.record.id,
      RepoTags: image.record.names.map(familiarName),
      RepoDigests: image.record.names.map((name) => `${familiarName(name).replace(/:[^/:]+$/, '')}@${image.record.manifestDigest}`),
      Created: image.config.created ?? '',
      Architecture: image.config.architecture ?? '',
      Os: image.config.os ?? '',
      Size: image.record.size,
      Config: image.config.config ?? {},
      RootFS: { Type: 'layers', Layers: image.config.rootfs.diff_ids },
      Descriptor: { mediaType: image.manifest.mediaType, digest: image.record.manifestDigest },
    });
  }
  process.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
  return 0;
}

async function importCommand(values: Values, args: string[]): Promise<number> {
  needArgs(args, 1, 'import');
  const store = await openStore(values);
  const name = values.get('name');
  for (const record of await importImages(store, args[0]!, typeof name === 'string' ? { name } : {})) {
    process.stdout.write(`Loaded image: ${record.names.map(familiarName).join(', ') || record.id}\n`);
  }
  return 0;
}

async function tag(values: Values, args: string[]): Promise<number> {
  if (args.length !== 2) throw new UsageError('"k8ts image tag" requires exactly 2 arguments: SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]');
  const store = await openStore(values);
  if (!store.find(args[0]!)) throw new DaemonError(`No such image: ${args[0]}`);
  await store.tag(args[0]!, args[1]!);
  return 0;
}

/** Removes images no container uses (all of them, or above the kubelet's disk thresholds with --threshold). */
async function prune(values: Values): Promise<number> {
  const root = runtimeRoot(values);
  const store = await openStore(values);
  const inUse = new Set<string>();
  if (existsSync(join(root, 'containers'))) {
    const runtime = await Runtime.open({ root });
    for (const container of await runtime.listContainers()) {
      const record = runtime.images.find(container.imageRef) ?? runtime.images.find(container.image);
      if (record) inUse.add(record.id);
    }
    await runtime.close();
  }
  const cache = new BuildCache(join(root, 'images', 'build-cache.json'));
  await cache.load();
  const everything = values.get('threshold') !== true;
  const result = await garbageCollectImages(store, {
    inUse,
    keepBlobs: new Set(cache.layers().map((l) => l.digest)),
    minimumAgeMs: 0,
    ...(everything ? { highThresholdPercent: 0, lowThresholdPercent: 0, diskUsage: async () => ({ capacityBytes: 1, availableBytes: 0 }) } : {}),
  });
  for (const record of result.removedImages) process.stdout.write(`deleted: ${record.id}\n`);
  process.stdout.write(`\nTotal reclaimed space: ${humanSize(result.freedBytes)}\n`);
  return 0;
}

const subcommands: Record<string, (values: Values, args: string[]) => Promise<number>> = {
  build,
  pull,
  push,
  tag,
  ls: list,
  list,
  images: list,
  rm: remove,
  rmi: remove,
  inspect,
  import: importCommand,
  load: importCommand,
  prune,
};

export const imageCommand: Command = {
  name: 'image',
  summary: 'Build, pull, push and manage the node\'s container images',
  usage: 'k8ts image build|pull|push|tag|ls|rm|inspect|import|prune [flags] ARGS',
  flags: [
    { name: 'data-dir', description: 'Directory for state; images live in <data-dir>/runtime/images', defaultText: '/var/lib/k8ts as root, ~/.k8ts otherwise' },
    { name: 'root', description: 'The runtime\'s state directory (images in <root>/images); overrides --data-dir' },
    { name: 'tag', short: 't', repeatable: true, description: 'build: name and optionally a tag, "name:tag" (repeatable)' },
    { name: 'file', short: 'f', description: 'build: the Dockerfile', defaultText: 'DIR/Dockerfile' },
    { name: 'build-arg', repeatable: true, description: 'build: a build-time variable, NAME=VALUE (repeatable)' },
    { name: 'no-cache', boolean: true, description: 'build: do not use the build cache' },
    { name: 'target', description: 'build: the stage to build (FROM … AS name)' },
    { name: 'quiet', short: 'q', boolean: true, description: 'build: print only the image ID; ls: only IDs' },
    { name: 'runtime', description: 'build: the OCI runtime for RUN steps, runc or crun' },
    { name: 'name', description: 'import: the name for images the archive does not name' },
    { name: 'chunked', boolean: true, description: 'push: upload blobs in chunks' },
    { name: 'threshold', boolean: true, description: 'prune: only down to the kubelet\'s image GC thresholds (85%/80% disk), not every unused image' },
    { name: 'docker-config', description: 'Registry credentials: a Docker config.json or a .dockerconfigjson', defaultText: '$DOCKER_CONFIG/config.json or ~/.docker/config.json' },
    { name: 'insecure-registry', repeatable: true, description: 'A registry (host:port) reachable over plain HTTP or unverified HTTPS (repeatable; loopback always is)' },
    { name: 'registry-mirror', repeatable: true, description: 'A mirror of docker.io tried first on pulls, e.g. https://mirror.gcr.io (repeatable)' },
    { name: 'registry-ca-file', repeatable: true, description: 'A PEM file of CAs to trust for registries (repeatable)' },
  ],
  async run(values, args) {
    const [sub, ...rest] = args;
    const handler = sub ? subcommands[sub] : undefined;
    if (!handler) throw new UsageError(sub ? `unknown command "${sub}" for "k8ts image"` : 'a subcommand is required: build, pull, push, tag, ls, rm, inspect, import or prune');
    try {
      return await handler(values, rest);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      // Docker prints what the daemon refused this way; scripts match on it.
      const message = (error as Error).message;
      process.stderr.write(error instanceof DaemonError && /^(An image does not exist|failed to read dockerfile)/.test(message) ? `${message}\n` : `Error response from daemon: ${message}\n`);
      return 1;
    }
  },
};
