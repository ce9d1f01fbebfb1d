// OCI and Docker v2 image manifests, indexes (manifest lists) and configs: just the fields a
// runtime needs, validated on the way in so a bad registry answer is a clear error, not a crash.
export const mediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerForeignGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture?: string; os?: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

/** The part of an image config (OCI image-spec config.json) a runtime uses. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  created?: string;
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    ExposedPorts?: Record<string, object>;
    Volumes?: Record<string, object>;
    Labels?: Record<string, string>;
    StopSignal?: string;
  };
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: { created?: string; created_by?: string; empty_layer?: boolean; comment?: string }[];
}

export class InvalidManifestError extends Error {}

export const manifestMediaTypes: readonly string[] = [mediaTypes.ociManifest, mediaTypes.dockerManifest];
export const indexMediaTypes: readonly string[] = [mediaTypes.ociIndex, mediaTypes.dockerManifestList];

const digestPattern = /^sha256:[a-f0-9]{64}$/;

function descriptor(value: unknown, what: string): Descriptor {
  const d = value as Partial<Descriptor> | undefined;
  if (!d || typeof d.digest !== 'string' || !digestPattern.test(d.digest) || typeof d.size !== 'number' || typeof d.mediaType !== 'string') {
    throw new InvalidManifestError(`${what}: a descriptor needs mediaType, a sha256 digest and size`);
  }
  return d as Descriptor;
}

/** Parses a manifest or index; the media type comes from the document or the HTTP Content-Type. */
export function parseManifestDocument(bytes: Buffer, contentType?: string): { kind: 'manifest'; manifest: ImageManifest } | { kind: 'index'; index: ImageIndex } {
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new InvalidManifestError('manifest is not valid JSON');
  }
  const mediaType = (typeof document.mediaType === 'string' ? document.mediaType : undefined) ?? contentType?.split(';')[0]?.trim() ?? (Array.isArray(document.manifests) ? mediaTypes.ociIndex : mediaTypes.ociManifest);
  if (document.schemaVersion !== 2) throw new InvalidManifestError(`unsupported manifest schemaVersion ${String(document.schemaVersion)} (only 2)`);
  if (indexMediaTypes.includes(mediaType) || (Array.isArray(document.manifests) && !document.config)) {
    const manifests = (document.manifests as unknown[] | undefined ?? []).map((m, i) => descriptor(m, `index manifests[${i}]`));
    return { kind: 'index', index: { schemaVersion: 2, mediaType, manifests } };
  }
  if (!manifestMediaTypes.includes(mediaType)) throw new InvalidManifestError(`unsupported manifest media type "${mediaType}"`);
  const config = descriptor(document.config, 'manifest config');
  const layers = ((document.layers as unknown[] | undefined) ?? []).map((l, i) => descriptor(l, `manifest layers[${i}]`));
  return { kind: 'manifest', manifest: { schemaVersion: 2, mediaType, config, layers, annotations: document.annotations as Record<string, string> | undefined } };
}

export function parseImageConfig(bytes: Buffer): ImageConfig {
  let config: ImageConfig;
  try {
    config = JSON.parse(bytes.toString('utf8')) as ImageConfig;
  } catch {
    throw new InvalidManifestError('image config is not valid JSON');
  }
  if (!config.rootfs || !Array.isArray(config.rootfs.diff_ids)) throw new InvalidManifestError('image config has no rootfs.diff_ids');
  return config;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export function hostPlatform(): Platform {
  const architecture = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : process.arch;
  return { os: 'linux', architecture };
}

/** The index entry for a platform (linux/amd64 here), as containerd's platform matcher picks it. */
export function selectPlatform(index: ImageIndex, platform: Platform = hostPlatform()): Descriptor | undefined {
  const candidates = index.manifests.filter((m) => m.platform?.os === platform.os && m.platform?.architecture === platform.architecture);
  return candidates.find((m) => !platform.variant || m.platform?.variant === platform.variant) ?? candidates[0];
}
