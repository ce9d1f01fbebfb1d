import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sha256Digest } from './content-store.js';
import { garbageCollectImages } from './gc.js';
import { ImageStore } from './image-store.js';
import { mediaTypes } from './manifest.js';
import { writeTar } from './tar-writer.js';

const work = mkdtempSync(join(tmpdir(), 'k8ts-gc-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A one-layer image whose layer is an uncompressed tar holding one file with `text`. */
async function addImage(store: ImageStore, name: string, text: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of writeTar([{ header: { name: 'file', type: 'file', mode: 0o644, size: text.length }, content: async function* () { yield Buffer.from(text); } }])) chunks.push(chunk);
  const layer = Buffer.concat(chunks);
  const layerDigest = await store.content.writeBytes(layer);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] } }));
  const configDigest = await store.content.writeBytes(config);
  const manifest = { schemaVersion: 2, mediaType: mediaTypes.ociManifest, config: { mediaType: mediaTypes.ociConfig, digest: configDigest, size: config.length }, layers: [{ mediaType: mediaTypes.ociLayer, digest: layerDigest, size: layer.length }] };
  const record = await store.register(name, await store.content.writeBytes(Buffer.from(JSON.stringify(manifest))));
  await store.unpack(await store.resolve(name));
  return record.id;
}

test('above the high threshold, unused images go oldest first until the low threshold; in-use ones stay; blobs and snapshots follow', async () => {
  const store = new ImageStore(join(work, 'store'));
  await store.init();
  const oldest = await addImage(store, 'old:1', 'old');
  const used = await addImage(store, 'used:1', 'used');
  const newer = await addImage(store, 'newer:1', 'newer');
  const lastUsed = new Map([[oldest, 1_000], [used, 500], [newer, 2_000]]);
  const size = store.find('old:1')!.size;
  // 86% full (above the default high threshold, 85); freeing one image's worth reaches a low threshold of 85%.
  const capacity = size * 100;
  const result = await garbageCollectImages(store, {
    inUse: new Set([used]),
    minimumAgeMs: 0,
    lowThresholdPercent: 85,
    lastUsedMs: (record) => lastUsed.get(record.id),
    diskUsage: async () => ({ capacityBytes: capacity, availableBytes: size * 14 }),
  });
  assert.deepEqual(result.removedImages.map((r) => r.id), [oldest]);
  assert.deepEqual(store.list().map((r) => r.names[0]).sort(), ['docker.io/library/newer:1', 'docker.io/library/used:1']);
  assert.equal(result.removedBlobs, 3, 'manifest, config and layer of the removed image');
  assert.equal(result.removedSnapshots, 1);
  assert.ok(await store.unpack(await store.resolve('used:1')));

  const below = await garbageCollectImages(store, { inUse: new Set(), minimumAgeMs: 0, diskUsage: async () => ({ capacityBytes: 100, availableBytes: 50 }) });
  assert.deepEqual(below.removedImages, [], 'nothing is removed below the high threshold');
});
