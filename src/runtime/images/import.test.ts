import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildBusyboxLayout } from '../testing/busybox-layout.js';
import { ImageStore } from './image-store.js';
import { importImages } from './import.js';

const work = mkdtempSync(join(tmpdir(), 'k8ts-import-test-'));
const layout = join(work, 'layout');
before(async () => {
  await buildBusyboxLayout(layout);
});
after(() => rmSync(work, { recursive: true, force: true }));

test('an OCI layout imports under the given name, and its layers unpack into shared snapshots', async () => {
  const store = new ImageStore(join(work, 'store1'));
  await store.init();
  const [record] = await importImages(store, layout, { name: 'busybox' });
  assert.deepEqual(record?.names, ['docker.io/library/busybox:latest']);
  const image = await store.resolve('busybox');
  assert.deepEqual(image.config.config?.Cmd, ['sh']);
  const dirs = await store.unpack(image);
  assert.equal(dirs.length, image.manifest.layers.length);
  const top = dirs.find((dir) => existsSync(join(dir, 'bin', 'busybox')));
  assert.ok(top, 'busybox is in a layer');
  assert.deepEqual(await store.unpack(image), dirs, 'unpacked once');
  // A new store on the same directory finds the image again.
  const reopened = new ImageStore(join(work, 'store1'));
  await reopened.init();
  assert.equal(reopened.find('docker.io/library/busybox:latest')?.id, record?.id);
  assert.equal(reopened.find(record!.id.slice(7, 19))?.id, record?.id, 'found by a short ID');
});

test('a docker save archive (written by skopeo) imports with its own repo tag', async () => {
  const archive = join(work, 'saved.tar');
  execFileSync('skopeo', ['copy', '--quiet', `oci:${layout}:latest`, `docker-archive:${archive}:example.com/tools/busybox:1.36`]);
  const store = new ImageStore(join(work, 'store2'));
  await store.init();
  const [record] = await importImages(store, archive);
  assert.deepEqual(record?.names, ['example.com/tools/busybox:1.36']);
  const dirs = await store.unpack(await store.resolve('example.com/tools/busybox:1.36'));
  assert.ok(dirs.some((dir) => existsSync(join(dir, 'bin', 'sh'))));
  assert.match(readFileSync(join(dirs.find((d) => existsSync(join(d, 'etc', 'passwd')))!, 'etc', 'passwd'), 'utf8'), /^root:/);
});

test('an OCI archive (tar of a layout) imports too, named from --name and its ref.name tag', async () => {
  const archive = join(work, 'oci.tar');
  execFileSync('skopeo', ['copy', '--quiet', `oci:${layout}:latest`, `oci-archive:${archive}:registry.local/busybox:v1`]);
  const store = new ImageStore(join(work, 'store3'));
  await store.init();
  const records = await importImages(store, archive, { name: 'registry.local/busybox' });
  assert.equal(records.length, 1);
  assert.ok(records[0]!.names[0]!.startsWith('registry.local/busybox:'));
});
