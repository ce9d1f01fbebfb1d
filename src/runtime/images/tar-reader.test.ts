import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, linkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readTar, type TarHeader } from './tar-reader.js';

const work = mkdtempSync(join(tmpdir(), 'k8ts-tar-'));
after(() => rmSync(work, { recursive: true, force: true }));

const longDir = 'd'.repeat(90);
const longFile = `${longDir}/${'f'.repeat(80)}.txt`;

function makeTree(): string {
  const root = join(work, 'tree');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, longDir), { recursive: true });
  writeFileSync(join(root, 'etc', 'hostname'), 'box\n');
  writeFileSync(join(root, longFile), 'long\n');
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(70_000, 7));
  symlinkSync('etc/hostname', join(root, 'link'));
  linkSync(join(root, 'etc', 'hostname'), join(root, 'hard'));
  return root;
}

async function entries(archive: string): Promise<Map<string, { header: TarHeader; content: Buffer }>> {
  const found = new Map<string, { header: TarHeader; content: Buffer }>();
  for await (const entry of readTar(createReadStream(archive, { highWaterMark: 1000 }))) {
    const chunks: Buffer[] = [];
    if (entry.header.type === 'file') for await (const chunk of entry.content()) chunks.push(chunk);
    found.set(entry.header.name, { header: entry.header, content: Buffer.concat(chunks) });
  }
  return found;
}

for (const format of ['pax', 'gnu', 'ustar'] as const) {
  test(`reads a ${format} archive from GNU tar: files, long names, links, big files`, async () => {
    const root = makeTree();
    const archive = join(work, `${format}.tar`);
    const members = format === 'ustar' ? ['./etc', './big.bin', './link', './hard', `./${longDir}`] : ['.'];
    execFileSync('tar', [`--format=${format}`, '-cf', archive, '-C', root, ...members]);
    const found = await entries(archive);
    assert.equal(found.get('etc/hostname')?.content.toString(), 'box\n');
    assert.equal(found.get('etc')?.header.type, 'directory');
    assert.equal(found.get(longFile)?.content.toString(), 'long\n');
    assert.equal(found.get('big.bin')?.content.length, 70_000);
    assert.equal(found.get('link')?.header.type, 'symlink');
    assert.equal(found.get('link')?.header.linkName, 'etc/hostname');
    const hard = found.get('hard') ?? found.get('etc/hostname');
    assert.ok(hard);
    rmSync(root, { recursive: true, force: true });
  });
}
