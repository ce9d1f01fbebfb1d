// `k8ts image build` end to end: FROM scratch COPY without a runtime; RUN steps in real
// containers on the k8ts runtime (runc), whiteouts, the build cache, and the repository's own
// images/busybox/Dockerfile built and run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { Runtime } from '../../runtime.js';
import { parseCriLogLine } from '../../logs/cri-log.js';
import { ImageStore } from '../image-store.js';
import { readTar } from '../tar-reader.js';
import { buildImage } from './builder.js';

const work = mkdtempSync(join(tmpdir(), 'k8ts-build-test-'));
after(() => rmSync(work, { recursive: true, force: true }));
/** The checkout: from src/… (tsx) or dist/src/… (compiled), the first parent with images/busybox. */
function repoRoot(): string {
  for (const start of [import.meta.dirname, process.cwd()]) {
    for (let dir = start; ; dir = join(dir, '..')) {
      if (existsSync(join(dir, 'images', 'busybox', 'Dockerfile'))) return dir;
      if (join(dir, '..') === dir) break;
    }
  }
  throw new Error('images/busybox/Dockerfile not found above the test or the working directory');
}

function context(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function layerNames(store: ImageStore, digest: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of readTar(store.content.stream(digest).pipe(createGunzip()))) {
    names.push(entry.header.name);
    await entry.skip();
  }
  return names;
}

describe('builds without RUN', () => {
  test('FROM scratch + COPY makes one layer per COPY, honours .dockerignore, and sets ENV/WORKDIR/USER/CMD/EXPOSE/LABEL', async () => {
    const store = new ImageStore(join(work, 'store-copy'));
    await store.init();
    const dir = context('copy', {
      Dockerfile: 'ARG VERSION=1\nFROM scratch\nARG GREETING\nENV APP_HOME=/srv/app GREETING=${GREETING:-hello}\nWORKDIR $APP_HOME\nCOPY app/ ./\nCOPY *.txt /etc/notes/\nUSER 1000:1000\nEXPOSE 8080 53/udp\nLABEL org.example.version="${VERSION}" team=k8ts\nCMD ["/srv/app/run"]\n',
      '.dockerignore': 'app/secret\n*.log\n',
      'app/run': '#!/bin/sh\n',
      'app/lib/util.sh': 'util\n',
      'app/secret': 'do not copy\n',
      'a.txt': 'a\n',
      'b.txt': 'b\n',
      'debug.log': 'log\n',
    });
    const first = await buildImage({ store, contextDir: dir, tags: ['example/app:1'], stateDir: join(work, 'state-copy'), buildArgs: { GREETING: 'hi' } });
    const image = await store.resolve('example/app:1');
    assert.equal(image.manifest.layers.length, 2);
    assert.deepEqual(image.config.config?.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'APP_HOME=/srv/app', 'GREETING=hi']);
    assert.equal(image.config.config?.WorkingDir, '/srv/app');
    assert.equal(image.config.config?.User, '1000:1000');
    assert.deepEqual(image.config.config?.Cmd, ['/srv/app/run']);
    assert.deepEqual(Object.keys(image.config.config?.ExposedPorts ?? {}), ['8080/tcp', '53/udp']);
    assert.deepEqual(image.config.config?.Labels, { 'org.example.version': '', team: 'k8ts' }, 'an ARG before FROM is not visible after it unless redeclared');
    assert.equal(image.config.history?.length, 9);
    const names = await layerNames(store, image.manifest.layers[0]!.digest);
    assert.ok(names.includes('srv/app/run') && names.includes('srv/app/lib/util.sh'), names.join(','));
    assert.ok(!names.includes('srv/app/secret'), '.dockerignore is honoured');
    assert.deepEqual((await layerNames(store, image.manifest.layers[1]!.digest)).filter((n) => n.endsWith('.txt')), ['etc/notes/a.txt', 'etc/notes/b.txt']);
    assert.equal(first.cachedSteps, 0);

    const second = await buildImage({ store, contextDir: dir, tags: ['example/app:2'], stateDir: join(work, 'state-copy'), buildArgs: { GREETING: 'hi' } });
    assert.equal(second.cachedSteps, 2, 'both COPY steps come from the cache');
    assert.deepEqual((await store.resolve('example/app:2')).manifest.layers, image.manifest.layers);
    assert.equal(second.id, first.id, 'a fully cached build is the same image');
    writeFileSync(join(dir, 'b.txt'), 'changed\n');
    const third = await buildImage({ store, contextDir: dir, tags: ['example/app:3'], stateDir: join(work, 'state-copy'), buildArgs: { GREETING: 'hi' } });
    assert.equal(third.cachedSteps, 1, 'a changed source misses the cache from its step on');
  });

  test('ADD unpacks a local tar; ADD of a URL and a missing COPY source are clear errors', async () => {
    const store = new ImageStore(join(work, 'store-add'));
    await store.init();
    const dir = context('add', { 'payload/x/y.txt': 'y\n' });
    execFileSync('tar', ['-czf', join(dir, 'payload.tar.gz'), '-C', join(dir, 'payload'), '.']);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nADD payload.tar.gz /opt/\n');
    const { record } = await buildImage({ store, contextDir: dir, tags: ['add:1'], stateDir: join(work, 'state-add') });
    const image = await store.resolve(record.id);
    assert.ok((await layerNames(store, image.manifest.layers[0]!.digest)).includes('opt/x/y.txt'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nADD https://example.com/x.tar /x\n');
    await assert.rejects(buildImage({ store, contextDir: dir, tags: ['add:2'], stateDir: join(work, 'state-add') }), /ADD of a URL .* is not supported/);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY nothere /x\n');
    await assert.rejects(buildImage({ store, contextDir: dir, tags: ['add:3'], stateDir: join(work, 'state-add') }), /COPY failed: file not found in build context or excluded by .dockerignore: stat nothere/);
  });
});

describe('builds with RUN on the k8ts runtime', () => {
  const root = join(work, 'runtime');
  let runtime: Runtime;
  before(async () => {
    runtime = await Runtime.open({ root, runtime: 'runc' });
  });
  after(async () => {
    for (const sandbox of runtime.listPodSandbox()) await runtime.removePodSandbox(sandbox.id).catch(() => undefined);
    await runtime.close();
    if (readFileSync('/proc/self/mountinfo', 'utf8').includes(join(root, 'ns'))) execFileSync('umount', [join(root, 'ns')]);
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const mountPoint = line.split(' ')[4];
      if (mountPoint?.startsWith(root)) execFileSync('umount', ['-l', mountPoint]);
    }
  });

  async function runImage(image: string, command: string[]): Promise<{ output: string; exitCode: number }> {
    const logDirectory = join(work, 'run-logs');
    let logPath = '';
    const sandbox = await runtime.runPodSandbox({ metadata: { name: 'check', namespace: 'default', uid: `check-${Math.random()}`, attempt: 0 }, logDirectory, linux: { securityContext: { namespaceOptions: { network: 'NODE' } } } });
    try {
      logPath = `check-${Math.random().toString(36).slice(2)}.log`;
      const id = await runtime.createContainer(sandbox, { metadata: { name: 'check', attempt: 0 }, image, command, logPath });
      await runtime.startContainer(id);
      assert.ok(await runtime.waitForExit(id, 20_000));
      const status = await runtime.containerStatus(id);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const output = readFileSync(join(logDirectory, logPath), 'utf8').split('\n').filter(Boolean).map((line) => parseCriLogLine(line)?.content ?? '').join('\n');
      return { output, exitCode: status.exitCode };
    } finally {
      await runtime.removePodSandbox(sandbox);
    }
  }

  let busybox: Promise<{ output: string; id: string }> | undefined;
  /** The repository's images/busybox, built once for the tests that need it. */
  function buildBusybox(): Promise<{ output: string; id: string }> {
    busybox ??= (async () => {
      const dir = join(work, 'busybox-context');
      cpSync(join(repoRoot(), 'images', 'busybox'), dir, { recursive: true });
      copyFileSync('/bin/busybox', join(dir, 'busybox'));
      let output = '';
      const { id } = await buildImage({ store: runtime.images, runtime, contextDir: dir, tags: ['busybox:latest'], stateDir: join(root, 'images'), out: (text) => (output += text) });
      return { output, id };
    })();
    return busybox;
  }

  test('the repository\'s busybox Dockerfile builds, and the image runs echo hi', async () => {
    const { output, id } = await buildBusybox();
    const result = { id };
    assert.match(output, /Successfully tagged busybox:latest/);
    const image = await runtime.images.resolve('busybox');
    assert.deepEqual(image.config.config?.Cmd, ['sh']);
    assert.equal(image.record.id, result.id);
    assert.deepEqual(runtime.images.list().map((r) => r.names).flat(), ['docker.io/library/busybox:latest'], 'intermediate images are gone');
    assert.deepEqual(await runImage('busybox', ['echo', 'hi']), { output: 'hi', exitCode: 0 });
  });

  test('RUN output is shown, deleting a lower file leaves a whiteout the runtime honours, and a failing RUN fails the build', async () => {
    await buildBusybox();
    const dir = context('run', {
      Dockerfile: [
        'FROM busybox',
        'ARG WHO=world',
        'RUN mkdir -p /data/keep /data/opaque && echo lower > /data/gone && echo k > /data/keep/k && echo o > /data/opaque/old',
        'RUN echo "hello $WHO" && rm /data/gone && echo made > /data/new && rm -rf /data/opaque && mkdir /data/opaque && echo n > /data/opaque/new',
        'WORKDIR /data',
        'CMD ["cat", "new"]',
      ].join('\n'),
    });
    let output = '';
    await buildImage({ store: runtime.images, runtime, contextDir: dir, tags: ['run-test:1'], stateDir: join(root, 'images'), buildArgs: { WHO: 'k8ts' }, out: (text) => (output += text) });
    assert.match(output, /hello k8ts/);
    const image = await runtime.images.resolve('run-test:1');
    const top = await layerNames(runtime.images, image.manifest.layers[image.manifest.layers.length - 1]!.digest);
    assert.ok(top.includes('data/.wh.gone'), top.join(','));
    assert.ok(top.includes('data/opaque/.wh..wh..opq'), top.join(','));
    assert.ok(!top.some((name) => name === 'etc/hosts' || name.startsWith('proc')), 'runtime mount points are not in the layer');
    assert.deepEqual(await runImage('run-test:1', ['sh', '-c', 'cat new; ls /data; ls /data/opaque; test -e /data/gone || echo gone']), { output: 'made\nkeep\nnew\nopaque\nnew\ngone', exitCode: 0 });
    const dirs = await runtime.images.unpack(image);
    assert.equal(existsSync(join(dirs[dirs.length - 1]!, 'data', 'new')), true);

    let again = '';
    const cached = await buildImage({ store: runtime.images, runtime, contextDir: dir, tags: ['run-test:2'], stateDir: join(root, 'images'), buildArgs: { WHO: 'k8ts' }, out: (text) => (again += text) });
    assert.equal(cached.cachedSteps, 2, again);
    assert.doesNotMatch(again, /hello k8ts/, 'cached RUN steps do not run');

    writeFileSync(join(dir, 'Dockerfile'), [
      'ARG GREETING=built',
      'FROM busybox AS builder',
      'ARG GREETING',
      'RUN mkdir /out && echo "$GREETING" > /out/artifact && ln -s artifact /out/link',
      'FROM scratch',
      'COPY --from=builder /out/ /app/',
      'COPY --from=0 /bin/busybox /bin/busybox',
      'CMD ["/bin/busybox", "cat", "/app/link"]',
    ].join('\n'));
    const staged = await buildImage({ store: runtime.images, runtime, contextDir: dir, tags: ['multi-stage:1'], stateDir: join(root, 'images') });
    assert.equal((await runtime.images.resolve(staged.id)).manifest.layers.length, 2, 'only the last stage\'s layers');
    assert.deepEqual(await runImage('multi-stage:1', []), { output: 'built', exitCode: 0 });

    writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nRUN echo failing; exit 3\n');
    await assert.rejects(buildImage({ store: runtime.images, runtime, contextDir: dir, tags: ['run-test:3'], stateDir: join(root, 'images') }), /The command '\/bin\/sh -c echo failing; exit 3' returned a non-zero code: 3/);
  });
});
