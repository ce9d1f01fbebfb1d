// `k8ts image import`: images from an OCI image layout (a directory or its tar, as `skopeo copy
// oci-archive:` and `umoci` write) or a `docker save` archive, into the image store.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { sha256Digest } from './content-store.js';
import type { ImageRecord, ImageStore } from './image-store.js';
import { mediaTypes, parseManifestDocument, selectPlatform, type Descriptor } from './manifest.js';
import { safeComponents } from '../snapshots/apply-layer.js';
import { readTar } from './tar-reader.js';

/** OCI's annotation for a manifest's name in a layout; containerd writes the full name in its own. */
const refNameAnnotation = 'org.opencontainers.image.ref.name';
const containerdNameAnnotation = 'io.containerd.image.name';

export interface ImportOptions {
  /** Name for images the archive does not name (an OCI layout whose ref.name is only a tag). */
  name?: string;
}

/** Extracts the regular files and directories of an archive (no links, no devices) into dir. */
async function extractPlainArchive(file: string, dir: string): Promise<void> {
  const head = Buffer.alloc(2);
  const handle = await import('node:fs/promises').then((fs) => fs.open(file, 'r'));
  await handle.read(head, 0, 2, 0);
  await handle.close();
  const source = createReadStream(file);
  const stream = head[0] === 0x1f && head[1] === 0x8b ? source.pipe(createGunzip()) : source;
  for await (const entry of readTar(stream)) {
    const parts = safeComponents(entry.header.name);
    if (parts.length === 0) continue;
    const path = join(dir, ...parts);
    if (entry.header.type === 'directory') await mkdir(path, { recursive: true });
    else if (entry.header.type === 'file') {
      await mkdir(dirname(path), { recursive: true });
      await pipeline(Readable.from(entry.content()), createWriteStream(path));
    }
  }
}

async function copyBlob(store: ImageStore, layoutDir: string, descriptor: Descriptor): Promise<void> {
  const path = join(layoutDir, 'blobs', 'sha256', descriptor.digest.slice('sha256:'.length));
  await store.content.writeStream(createReadStream(path), descriptor.digest, descriptor.size);
}

function nameFrom(annotations: Record<string, string> | undefined, fallback: string | undefined): string | undefined {
  const full = annotations?.[containerdNameAnnotation];
  if (full) return full;
  const ref = annotations?.[refNameAnnotation];
  if (ref && (ref.includes('/') || ref.includes(':'))) return ref;
  if (ref && fallback) return `${fallback.replace(/:[^/:]*$/, '')}:${ref}`;
  return fallback;
}

async function importOciLayout(store: ImageStore, dir: string, options: ImportOptions): Promise<ImageRecord[]> {
  const index = parseManifestDocument(await readFile(join(dir, 'index.json')));
  if (index.kind !== 'index') throw new Error('index.json is not an image index');
  const imported: ImageRecord[] = [];
  for (const entry of index.index.manifests) {
    let manifestDescriptor = entry;
    await copyBlob(store, dir, entry);
    let parsed = parseManifestDocument(await store.content.read(entry.digest), entry.mediaType);
    if (parsed.kind === 'index') {
      const chosen = selectPlatform(parsed.index);
      if (!chosen) throw new Error(`no linux/${process.arch === 'x64' ? 'amd64' : process.arch} image in ${entry.digest}`);
      manifestDescriptor = chosen;
      await copyBlob(store, dir, chosen);
      parsed = parseManifestDocument(await store.content.read(chosen.digest), chosen.mediaType);
      if (parsed.kind !== 'manifest') throw new Error('nested image indexes are not supported');
    }
    for (const blob of [parsed.manifest.config, ...parsed.manifest.layers]) await copyBlob(store, dir, blob);
    const name = nameFrom(entry.annotations, options.name);
    if (!name) throw new Error(`the archive does not name image ${manifestDescriptor.digest}: give one with --name`);
    imported.push(await store.register(name, manifestDescriptor.digest));
  }
  return imported;
}

interface DockerSaveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** A `docker save` archive: manifest.json lists each image's config and layer tars; an OCI manifest is made for it. */
async function importDockerSave(store: ImageStore, dir: string, options: ImportOptions): Promise<ImageRecord[]> {
  const entries = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DockerSaveEntry[];
  const imported: ImageRecord[] = [];
  for (const entry of entries) {
    const configBytes = await readFile(join(dir, ...safeComponents(entry.Config)));
    const configDigest = await store.content.writeBytes(configBytes);
    const layers: Descriptor[] = [];
    for (const layer of entry.Layers) {
      const path = join(dir, ...safeComponents(layer));
      const bytes = await readFile(path);
      const digest = sha256Digest(bytes);
      await store.content.writeBytes(bytes, digest);
      const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
      layers.push({ mediaType: gzip ? mediaTypes.dockerLayerGzip : 'application/vnd.docker.image.rootfs.diff.tar', digest, size: (await stat(path)).size });
    }
    const manifest = { schemaVersion: 2, mediaType: mediaTypes.dockerManifest, config: { mediaType: mediaTypes.dockerConfig, digest: configDigest, size: configBytes.length }, layers };
    const manifestDigest = await store.content.writeBytes(Buffer.from(JSON.stringify(manifest)));
    const names = entry.RepoTags?.length ? entry.RepoTags : options.name ? [options.name] : [];
    if (names.length === 0) throw new Error(`the archive does not name image ${configDigest}: give one with --name`);
    for (const name of names) imported.push(await store.register(name, manifestDigest));
  }
  return imported;
}

/** Imports from a directory (OCI layout) or an archive file (OCI layout tar or docker save tar). */
export async function importImages(store: ImageStore, path: string, options: ImportOptions = {}): Promise<ImageRecord[]> {
  if ((await stat(path)).isDirectory()) return importOciLayout(store, path, options);
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-import-'));
  try {
    await extractPlainArchive(path, dir);
    const isOci = await stat(join(dir, 'index.json')).then(() => true, () => false);
    if (isOci) return await importOciLayout(store, dir, options);
    const isDocker = await stat(join(dir, 'manifest.json')).then(() => true, () => false);
    if (isDocker) return await importDockerSave(store, dir, options);
    throw new Error(`${path} is neither an OCI image layout nor a docker save archive`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
