// The images a node has: names → manifests in the content store, and each layer unpacked once
// into a snapshot directory (snapshots/<chainID>/fs) that every container of every image built
// on it shares as an overlayfs lower layer.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Transform } from 'node:stream';
import { applyLayer } from '../snapshots/apply-layer.js';
import { ContentStore, digestHex } from './content-store.js';
import { mediaTypes, parseImageConfig, parseManifestDocument, type ImageConfig, type ImageManifest } from './manifest.js';
import { normalizeReference } from './reference.js';

export interface ImageRecord {
  /** Fully qualified names pointing at this image ("docker.io/library/busybox:latest"). */
  names: string[];
  /** The manifest's digest: what `name@digest` pins, and the repo digest shown by crictl. */
  manifestDigest: string;
  /** The config's digest: the image ID, as `docker images` and a pod's imageID show it. */
  id: string;
  /** Sum of compressed layer sizes, as registries report image size. */
  size: number;
}

export interface ResolvedImage {
  record: ImageRecord;
  manifest: ImageManifest;
  config: ImageConfig;
}

export class ImageNotFoundError extends Error {
  constructor(readonly reference: string) {
    super(`image "${reference}" not found`);
  }
}

/** chainID(n) = sha256(chainID(n-1) + " " + diffID(n)), chainID(0) = diffID(0), per the OCI image spec. */
export function chainIds(diffIds: readonly string[]): string[] {
  const chains: string[] = [];
  for (const diffId of diffIds) {
    const previous = chains[chains.length - 1];
    chains.push(previous ? `sha256:${createHash('sha256').update(`${previous} ${diffId}`).digest('hex')}` : diffId);
  }
  return chains;
}

function isGzip(mediaType: string): boolean {
  return mediaType.endsWith('gzip') || mediaType === mediaTypes.dockerLayerGzip;
}

export class ImageStore {
  readonly content: ContentStore;
  private readonly recordsFile: string;
  private readonly snapshots: string;
  private records: ImageRecord[] = [];
  /** Layers being unpacked, so two containers of one new image unpack each layer once. */
  private readonly unpacking = new Map<string, Promise<string>>();

  constructor(private readonly root: string) {
    this.content = new ContentStore(root);
    this.recordsFile = join(root, 'images.json');
    this.snapshots = join(root, 'snapshots');
  }

  async init(): Promise<void> {
    await this.content.init();
    await mkdir(this.snapshots, { recursive: true });
    if (existsSync(this.recordsFile)) this.records = JSON.parse(await readFile(this.recordsFile, 'utf8')) as ImageRecord[];
  }

  list(): readonly ImageRecord[] {
    return this.records;
  }

  /** By name (short names allowed), by name@digest, by image ID or a unique ID prefix. */
  find(reference: string): ImageRecord | undefined {
    const bare = reference.replace(/^sha256:/, '');
    if (/^[a-f0-9]{6,64}$/.test(bare)) {
      const matches = this.records.filter((r) => digestHex(r.id).startsWith(bare));
      if (matches.length === 1) return matches[0];
    }
    let name: string;
    try {
      name = normalizeReference(reference);
    } catch {
      return undefined;
    }
    const at = name.indexOf('@');
    if (at >= 0) {
      const digest = name.slice(at + 1);
      return this.records.find((r) => r.manifestDigest === digest || r.id === digest);
    }
    return this.records.find((r) => r.names.includes(name));
  }

  async resolve(reference: string): Promise<ResolvedImage> {
    const record = this.find(reference);
    if (!record) throw new ImageNotFoundError(reference);
    const parsed = parseManifestDocument(await this.content.read(record.manifestDigest));
    if (parsed.kind !== 'manifest') throw new Error(`image ${reference}: stored manifest is an index`);
    const config = parseImageConfig(await this.content.read(parsed.manifest.config.digest));
    return { record, manifest: parsed.manifest, config };
  }

  /** Records `name` for a manifest whose config and layers are already in the content store. */
  async register(name: string, manifestDigest: string): Promise<ImageRecord> {
    const fullName = name.includes('@') ? undefined : normalizeReference(name);
    const parsed = parseManifestDocument(await this.content.read(manifestDigest));
    if (parsed.kind !== 'manifest') throw new Error('register: not an image manifest');
    const { manifest } = parsed;
    for (const blob of [manifest.config, ...manifest.layers]) {
      if (!(await this.content.has(blob.digest))) throw new Error(`register: blob ${blob.digest} is missing`);
    }
    const id = manifest.config.digest;
    for (const record of this.records) record.names = record.names.filter((n) => n !== fullName);
    let record = this.records.find((r) => r.manifestDigest === manifestDigest);
    if (!record) {
      record = { names: [], manifestDigest, id, size: manifest.layers.reduce((sum, l) => sum + l.size, 0) };
      this.records.push(record);
    }
    if (fullName && !record.names.includes(fullName)) record.names.push(fullName);
    this.records = this.records.filter((r) => r.names.length > 0 || r === record);
    await this.save();
    return record;
  }

  async tag(source: string, target: string): Promise<ImageRecord> {
    const record = this.find(source);
    if (!record) throw new ImageNotFoundError(source);
    return this.register(target, record.manifestDigest);
  }

  /** Removes a name; the image goes when its last name does (blobs are left to garbage collection). */
  async remove(reference: string): Promise<ImageRecord> {
    const record = this.find(reference);
    if (!record) throw new ImageNotFoundError(reference);
    let name: string | undefined;
    try {
      name = normalizeReference(reference);
    } catch {
      name = undefined;
    }
    record.names = name && record.names.includes(name) ? record.names.filter((n) => n !== name) : [];
    if (record.names.length === 0) this.records = this.records.filter((r) => r !== record);
    await this.save();
    return record;
  }

  /** Unpacks every layer not yet unpacked; returns the layer directories, lowest first. */
  async unpack(image: ResolvedImage): Promise<string[]> {
    const diffIds = image.config.rootfs.diff_ids;
    if (diffIds.length !== image.manifest.layers.length) throw new Error(`image ${image.record.id}: ${image.manifest.layers.length} layers but ${diffIds.length} diff_ids`);
    const chains = chainIds(diffIds);
    const dirs: string[] = [];
    for (let i = 0; i < chains.length; i++) {
      const chain = chains[i]!;
      let pending = this.unpacking.get(chain);
      if (!pending) {
        pending = this.unpackLayer(chain, image.manifest.layers[i]!.digest, image.manifest.layers[i]!.mediaType, diffIds[i]!).finally(() => this.unpacking.delete(chain));
        this.unpacking.set(chain, pending);
      }
      dirs.push(await pending);
    }
    return dirs;
  }

  snapshotDir(chainId: string): string {
    return join(this.snapshots, digestHex(chainId), 'fs');
  }

  async snapshotChains(): Promise<string[]> {
    return (await readdir(this.snapshots).catch(() => [] as string[])).map((hex) => `sha256:${hex}`);
  }

  private async unpackLayer(chainId: string, blobDigest: string, mediaType: string, diffId: string): Promise<string> {
    const dir = join(this.snapshots, digestHex(chainId));
    const fs = join(dir, 'fs');
    if (existsSync(join(dir, 'complete'))) return fs;
    if (mediaType.endsWith('zstd')) throw new Error(`layer ${blobDigest}: zstd-compressed layers are not supported`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    // The diffID is the digest of the uncompressed tar: hash it as it is unpacked.
    const hash = createHash('sha256');
    const hasher = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const blob = this.content.stream(blobDigest);
    const tar = isGzip(mediaType) ? blob.pipe(createGunzip()).pipe(hasher) : blob.pipe(hasher);
    await applyLayer(fs, tar);
    // Drain whatever follows the tar's end blocks, so the hash covers the whole stream.
    for await (const _ of tar);
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== diffId) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`layer ${blobDigest}: uncompressed digest ${actual} does not match the config's diff_id ${diffId}`);
    }
    await writeFile(join(dir, 'complete'), '');
    return fs;
  }

  private async save(): Promise<void> {
    const temp = `${this.recordsFile}.tmp`;
    await writeFile(temp, JSON.stringify(this.records, null, 1));
    await rename(temp, this.recordsFile);
  }
}
