import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ImageConfig } from '../images/manifest.js';
import { CreateContainerError, resolveArgs, resolveEnv, resolveUser } from './process.js';

const image = (config: ImageConfig['config']): ImageConfig => ({ rootfs: { type: 'layers', diff_ids: [] }, config });
const rootfs = mkdtempSync(join(tmpdir(), 'k8ts-rootfs-'));
mkdirSync(join(rootfs, 'etc'));
writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n');
writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\napp:x:1000:\nwheel:x:10:app\n');
after(() => rmSync(rootfs, { recursive: true, force: true }));

test("command and args combine with the image's ENTRYPOINT and CMD as Kubernetes documents", () => {
  const img = image({ Entrypoint: ['/ep'], Cmd: ['--cmd'] });
  assert.deepEqual(resolveArgs({}, img), ['/ep', '--cmd']);
  assert.deepEqual(resolveArgs({ command: ['/c'] }, img), ['/c']);
  assert.deepEqual(resolveArgs({ args: ['--a'] }, img), ['/ep', '--a']);
  assert.deepEqual(resolveArgs({ command: ['/c'], args: ['--a'] }, img), ['/c', '--a']);
  assert.throws(() => resolveArgs({}, image({})), CreateContainerError);
});

test('pod env overrides image env and PATH defaults as Docker', () => {
  assert.deepEqual(resolveEnv({ envs: [{ key: 'A', value: 'pod' }] }, image({ Env: ['A=image', 'B=1'] })), ['A=pod', 'B=1', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
});

test("the user comes from runAsUser or the image's USER, looked up in its passwd and group files", () => {
  assert.deepEqual(resolveUser(rootfs, image({})), { uid: 0, gid: 0, additionalGids: [] });
  assert.deepEqual(resolveUser(rootfs, image({ User: 'app' })), { uid: 1000, gid: 1000, additionalGids: [10] });
  assert.deepEqual(resolveUser(rootfs, image({ User: '1000:wheel' })), { uid: 1000, gid: 10, additionalGids: [] });
  assert.deepEqual(resolveUser(rootfs, image({ User: 'app' }), { runAsUser: 2000, runAsGroup: 3000, supplementalGroups: [5] }), { uid: 2000, gid: 3000, additionalGids: [5] });
  assert.throws(() => resolveUser(rootfs, image({ User: 'ghost' })), /unable to find user ghost/);
});
