// `k8ts image pull`: tag → manifest (any of the four manifest and index media types), the
// linux/amd64 entry of an index, then config and layers streamed into the content store, each
// verified against its digest, and finally the name registered. Mirrors of docker.io are tried
// first; concurrent pulls of one reference into one store share a single pull.
import { createHash } from 'node:crypto';
import type { ImageRecord, ImageStore } from '../image-store.js';
import { hostPlatform, indexMediaTypes, manifestMediaTypes, parseManifestDocument, selectPlatform, type Descriptor } from '../manifest.js';
import { formatReference, parseReference, repositoryOf, type ImageReference } from '../reference.js';
import { DigestMismatchError } from '../content-store.js';
import { mirrorEndpoints, RegistryClient, registryRetryLimit, retryBackoffBaseMs, upstreamEndpoint, type Endpoint } from './client.js';
import { pullAccessDenied, RegistryError } from './errors.js';
import type { RegistryOptions } from './options.js';
import { shortId } from './progress.js';
import { readBody } from './transport.js';

/** Layers downloaded at once, as dockerd's max-concurrent-downloads default. */
export const maxConcurrentDownloads = 3;

export const manifestAccept = [...manifestMediaTypes, ...indexMediaTypes].join(', ');

export interface PullResult {
  record: ImageRecord;
  /** The digest the tag resolved to (an index's digest for a multi-platform image). */
  digest: string;
}

const inFlight = new WeakMap<ImageStore, Map<string, Promise<PullResult>>>();

/** Docker's short form for messages: "busybox", "library/x" → "x", other registries in full. */
function displayName(ref: ImageReference): string {
  return repositoryOf(ref).replace(/^docker\.io\/(library\/)?/, '');
}

export function pullImage(store: ImageStore, reference: string, options: RegistryOptions = {}): Promise<PullResult> {
  const ref = parseReference(reference);
  const key = formatReference(ref);
  let pulls = inFlight.get(store);
  if (!pulls) inFlight.set(store, (pulls = new Map()));
  const running = pulls.get(key);
  if (running) return running;
  const pull = pullFromEndpoints(store, ref, options).finally(() => pulls.delete(key));
  pulls.set(key, pull);
  return pull;
}

async function pullFromEndpoints(store: ImageStore, ref: ImageReference, options: RegistryOptions): Promise<PullResult> {
  const endpoints = [...mirrorEndpoints(ref.domain, options), upstreamEndpoint(ref.domain)];
  let mirrorError: unknown;
  for (const endpoint of endpoints) {
    try {
      return await pullFrom(store, ref, endpoint, options);
    } catch (error) {
      // A mirror that fails or lacks the image is skipped; the registry itself has the last word.
      if (!endpoint.mirror || error instanceof DigestMismatchError) throw error;
      mirrorError = error;
    }
  }
  throw mirrorError;
}

async function fetchManifest(client: RegistryClient, ref: ImageReference, reference: string): Promise<{ bytes: Buffer; mediaType: string; digest: string }> {
  const response = await client.request('GET', `manifests/${reference}`, { headers: { accept: manifestAccept } });
  if (response.status !== 200) {
    const error = await client.failure(response);
    // Docker Hub answers "unauthorized" for private and missing repositories alike; Docker words both as a denial.
    if (response.status === 401 || response.status === 403 || error.code === 'DENIED' || (error.code === 'NAME_UNKNOWN' && ref.domain === 'docker.io')) throw pullAccessDenied(displayName(ref), 'denied: requested access to the resource is denied');
    if (response.status === 404) throw new RegistryError(`manifest for ${displayName(ref)}:${ref.tag ?? ref.digest} not found: ${error.message}`, 404, error.code);
    throw error;
  }
  const bytes = await readBody(response);
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const claimed = response.headers['docker-content-digest'];
  const expected = reference.startsWith('sha256:') ? reference : typeof claimed === 'string' && claimed.startsWith('sha256:') ? claimed : undefined;
  if (expected && expected !== digest) throw new DigestMismatchError(`manifest verification failed for digest ${expected}: got ${digest}`);
  return { bytes, mediaType: String(response.headers['content-type'] ?? ''), digest };
}

async function pullFrom(store: ImageStore, ref: ImageReference, endpoint: Endpoint, options: RegistryOptions): Promise<PullResult> {
  const client = new RegistryClient(ref.domain, ref.path, endpoint, options, [`repository:${ref.path}:pull`]);
  const top = await fetchManifest(client, ref, ref.digest ?? ref.tag ?? 'latest');
  let manifestBytes = top.bytes;
  let manifestDigest = top.digest;
  let parsed = parseManifestDocument(top.bytes, top.mediaType);
  if (parsed.kind === 'index') {
    await store.content.writeBytes(top.bytes, top.digest);
    const platform = hostPlatform();
    const chosen = selectPlatform(parsed.index, platform);
    if (!chosen) throw new RegistryError(`no matching manifest for ${platform.os}/${platform.architecture} in the manifest list entries`);
    const child = await fetchManifest(client, ref, chosen.digest);
    parsed = parseManifestDocument(child.bytes, chosen.mediaType);
    if (parsed.kind !== 'manifest') throw new RegistryError(`${chosen.digest}: an index inside an index is not supported`);
    manifestBytes = child.bytes;
    manifestDigest = child.digest;
  }
  const { manifest } = parsed;
  const blobs = [manifest.config, ...manifest.layers];
  for (const layer of manifest.layers) options.onProgress?.({ id: shortId(layer.digest), status: 'Pulling fs layer' });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < blobs.length) {
      const blob = blobs[next++]!;
      await fetchBlob(client, store, blob, blob !== manifest.config ? options : {});
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxConcurrentDownloads, blobs.length) }, worker));
  await store.content.writeBytes(manifestBytes, manifestDigest);
  const name = ref.tag ? formatReference({ domain: ref.domain, path: ref.path, tag: ref.tag }) : formatReference(ref);
  const record = await store.register(name, manifestDigest);
  return { record, digest: top.digest };
}

async function fetchBlob(client: RegistryClient, store: ImageStore, blob: Descriptor, options: RegistryOptions): Promise<void> {
  const id = shortId(blob.digest);
  if (await store.content.has(blob.digest)) {
    options.onProgress?.({ id, status: 'Already exists' });
    return;
  }
  for (let attempt = 1; ; attempt++) {
    const response = await client.request('GET', `blobs/${blob.digest}`);
    if (response.status !== 200) throw await client.failure(response);
    let received = 0;
    try {
      await store.content.writeStream(response.body, blob.digest, blob.size, (n) => {
        received += n;
        options.onProgress?.({ id, status: 'Downloading', currentBytes: received, totalBytes: blob.size });
      });
      options.onProgress?.({ id, status: 'Download complete' });
      options.onProgress?.({ id, status: 'Pull complete' });
      return;
    } catch (error) {
      // Bytes that do not hash to the digest are refused outright; a dropped connection is retried.
      if (error instanceof DigestMismatchError) throw new DigestMismatchError(`failed to verify ${blob.digest}: ${error.message}`);
      if (attempt >= registryRetryLimit) throw error;
      options.onProgress?.({ id, status: `Retrying in ${Math.round((retryBackoffBaseMs * 2 ** (attempt - 1)) / 1000)} seconds` });
      await new Promise((resolve) => setTimeout(resolve, retryBackoffBaseMs * 2 ** (attempt - 1)));
    }
  }
}
