// `k8ts image push`: every blob the registry lacks (HEAD first) is uploaded — mounted from
// another repository of the same registry when asked, else POST then one PUT (monolithic) or
// PATCH chunks then PUT — and the manifest is PUT last, byte for byte as stored, so its digest
// on the registry is the one we have.
import type { ImageStore } from '../image-store.js';
import type { Descriptor } from '../manifest.js';
import { formatReference, parseReference, type ImageReference } from '../reference.js';
import { RegistryClient, upstreamEndpoint } from './client.js';
import { RegistryError } from './errors.js';
import type { RegistryOptions } from './options.js';
import { shortId } from './progress.js';
import type { HttpResponse } from './transport.js';

/** Blobs bigger than this go up in PATCH chunks of this size, when chunked uploads are asked for. */
export const pushChunkBytes = 8 << 20;

export interface PushOptions extends RegistryOptions {
  /** Upload blobs in PATCH chunks of `pushChunkBytes` instead of one PUT. */
  chunked?: boolean;
  /** Repository on the same registry to cross-mount blobs from ("library/busybox"). */
  mountFrom?: string;
}

export interface PushResult {
  /** "docker.io/library/busybox:latest" */
  name: string;
  digest: string;
  size: number;
}

function withDigest(location: URL, digest: string): URL {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url;
}

function locationOf(client: RegistryClient, response: HttpResponse): URL {
  const location = response.headers.location;
  if (!location) throw new RegistryError('the registry started an upload without a Location');
  return client.url(location);
}

async function expect(client: RegistryClient, response: HttpResponse, statuses: number[]): Promise<void> {
  if (!statuses.includes(response.status)) throw await client.failure(response);
  response.body.resume();
}

async function* chunkOf(store: ImageStore, digest: string, start: number, end: number): AsyncGenerator<Buffer> {
  const { createReadStream } = await import('node:fs');
  for await (const chunk of createReadStream(store.content.path(digest), { start, end: end - 1 })) yield chunk as Buffer;
}

async function uploadBlob(client: RegistryClient, store: ImageStore, blob: Descriptor, options: PushOptions): Promise<void> {
  const id = shortId(blob.digest);
  const head = await client.request('HEAD', `blobs/${blob.digest}`);
  head.body.resume();
  if (head.status === 200) {
    options.onProgress?.({ id, status: 'Layer already exists' });
    return;
  }
  options.onProgress?.({ id, status: 'Preparing' });
  if (options.mountFrom) {
    const mount = await client.request('POST', `blobs/uploads/?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(options.mountFrom)}`, { headers: { 'content-length': '0' } });
    if (mount.status === 201) {
      mount.body.resume();
      options.onProgress?.({ id, status: `Mounted from ${options.mountFrom}` });
      return;
    }
    // 202: the registry could not mount and opened an ordinary upload instead.
    await expect(client, mount, [202]);
    await finishUpload(client, store, blob, locationOf(client, mount), options);
    return;
  }
  const start = await client.request('POST', 'blobs/uploads/', { headers: { 'content-length': '0' } });
  await expect(client, start, [202]);
  await finishUpload(client, store, blob, locationOf(client, start), options);
}

async function finishUpload(client: RegistryClient, store: ImageStore, blob: Descriptor, location: URL, options: PushOptions): Promise<void> {
  const id = shortId(blob.digest);
  const progress = (sent: number) => options.onProgress?.({ id, status: 'Pushing', currentBytes: sent, totalBytes: blob.size });
  if (!options.chunked || blob.size <= pushChunkBytes) {
    let sent = 0;
    const body = async function* (): AsyncGenerator<Buffer> {
      sent = 0;
      for await (const chunk of chunkOf(store, blob.digest, 0, blob.size)) {
        sent += chunk.length;
        progress(sent);
        yield chunk;
      }
    };
    const put = await client.request('PUT', withDigest(location, blob.digest), { headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) }, body: blob.size > 0 ? body : Buffer.alloc(0) });
    await expect(client, put, [201]);
  } else {
    let current = location;
    for (let offset = 0; offset < blob.size; offset += pushChunkBytes) {
      const end = Math.min(blob.size, offset + pushChunkBytes);
      const patch = await client.request('PATCH', current, {
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(end - offset), 'content-range': `${offset}-${end - 1}` },
        body: () => chunkOf(store, blob.digest, offset, end),
      });
      await expect(client, patch, [202]);
      current = locationOf(client, patch);
      progress(end);
    }
    const put = await client.request('PUT', withDigest(current, blob.digest), { headers: { 'content-length': '0' }, body: Buffer.alloc(0) });
    await expect(client, put, [201]);
  }
  options.onProgress?.({ id, status: 'Pushed' });
}

/** Pushes the stored image `source` as `target` (a full reference; defaults to source's name). */
export async function pushImage(store: ImageStore, source: string, target: string = source, options: PushOptions = {}): Promise<PushResult> {
  const image = await store.resolve(source);
  const ref: ImageReference = parseReference(target);
  if (ref.digest) throw new RegistryError(`cannot push to a digest reference: ${target}`);
  const client = new RegistryClient(ref.domain, ref.path, upstreamEndpoint(ref.domain), options, [
    `repository:${ref.path}:pull,push`,
    ...(options.mountFrom ? [`repository:${options.mountFrom}:pull`] : []),
  ]);
  for (const blob of image.manifest.layers) await uploadBlob(client, store, blob, options);
  // Docker shows layers only; the config goes up quietly.
  await uploadBlob(client, store, image.manifest.config, { ...options, onProgress: undefined });
  const bytes = await store.content.read(image.record.manifestDigest);
  const tag = ref.tag ?? 'latest';
  const put = await client.request('PUT', `manifests/${tag}`, { headers: { 'content-type': image.manifest.mediaType, 'content-length': String(bytes.length) }, body: bytes });
  if (put.status !== 201) throw await client.failure(put);
  put.body.resume();
  const returned = put.headers['docker-content-digest'];
  if (typeof returned === 'string' && returned !== image.record.manifestDigest) {
    throw new RegistryError(`the registry stored the manifest as ${returned}, not ${image.record.manifestDigest}`);
  }
  return { name: formatReference({ ...ref, tag }), digest: image.record.manifestDigest, size: bytes.length };
}
