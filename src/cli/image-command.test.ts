// `k8ts image` as a user runs it: import, tag, ls, push to a real registry, pull, inspect, rm,
// and Docker's error messages.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { buildBusyboxLayout } from '../runtime/testing/busybox-layout.js';
import { startTestRegistry, type TestRegistry } from '../runtime/images/registry/test-registry.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'k8ts-image-cli-'));
// Compiled (make test runs dist/) the CLI is plain JS; from source it needs tsx.
const compiled = join(import.meta.dirname, 'main.js');
const cli = existsSync(compiled) ? [compiled] : ['--import', 'tsx', join(import.meta.dirname, 'main.ts')];
let registry: TestRegistry;

async function k8ts(root: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...cli, 'image', ...args, '--root', root], { cwd: join(import.meta.dirname, '../..') });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

before(async () => {
  await buildBusyboxLayout(join(work, 'layout'));
  registry = await startTestRegistry();
});
after(async () => {
  await registry.stop();
  rmSync(work, { recursive: true, force: true });
});

test('import, tag, ls, push, pull, inspect and rm behave and print as Docker does', async () => {
  const a = join(work, 'a');
  const b = join(work, 'b');
  assert.match((await k8ts(a, 'import', join(work, 'layout'), '--name', 'busybox')).stdout, /Loaded image: busybox:latest/);
  const target = `${registry.host}/k8ts/busybox:v1`;
  assert.equal((await k8ts(a, 'tag', 'busybox', target)).code, 0);
  const listed = (await k8ts(a, 'ls')).stdout.split('\n');
  assert.match(listed[0]!, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
  assert.ok(listed.some((line) => /^busybox\s+latest\s+[a-f0-9]{12}\s/.test(line)), listed.join('\n'));
  assert.ok(listed.some((line) => line.startsWith(`${registry.host}/k8ts/busybox   v1`)), listed.join('\n'));

  const pushed = await k8ts(a, 'push', target);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, new RegExp(`The push refers to repository \\[${registry.host}/k8ts/busybox\\]`));
  assert.match(pushed.stdout, /v1: digest: sha256:[a-f0-9]{64} size: \d+/);

  const pulled = await k8ts(b, 'pull', target);
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stdout, /v1: Pulling from k8ts\/busybox/);
  assert.match(pulled.stdout, /Status: Downloaded newer image for/);
  assert.match((await k8ts(b, 'pull', target)).stdout, /Status: Image is up to date for/);
  const [inspected] = JSON.parse((await k8ts(b, 'inspect', target)).stdout) as { RepoTags: string[]; Config: { Cmd: string[] } }[];
  assert.deepEqual(inspected?.RepoTags, [target]);
  assert.deepEqual(inspected?.Config.Cmd, ['sh']);

  const unknown = await k8ts(b, 'pull', `${registry.host}/k8ts/busybox:nope`);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^Error response from daemon: manifest for .*k8ts\/busybox:nope not found: manifest unknown/);
  const removed = await k8ts(b, 'rm', target);
  assert.match(removed.stdout, /Untagged: .*k8ts\/busybox:v1\nDeleted: sha256:/);
  assert.match((await k8ts(b, 'rm', 'nothere')).stderr, /Error response from daemon: No such image: nothere:latest/);
  assert.match((await k8ts(b, 'push', 'nothere')).stderr, /An image does not exist locally with the tag: nothere/);
});
