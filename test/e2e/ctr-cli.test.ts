// `k8ts ctr` by hand, as a person uses it: run (attached, detached, -i), ps, exec, logs, stop, rm,
// on the real runtime with a busybox image imported from an OCI layout.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildBusyboxLayout } from '../../src/runtime/testing/busybox-layout.js';
import { k8tsBin } from './harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-ctr-'));
const bridge = `k8c${Math.random().toString(36).slice(2, 8)}`;
const subnet = `10.${150 + Math.floor(Math.random() * 50)}.0.0/24`;

function k8ts(args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(k8tsBin, args, { timeout: 60_000 }, (error, stdout, stderr) => resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 }));
    child.stdin!.end(input ?? '');
  });
}
const ctr = (sub: string, ...args: string[]) => k8ts(['ctr', sub, '--data-dir', dataDir, '--bridge', bridge, '--subnet', subnet, ...args]);

before(async () => {
  await buildBusyboxLayout(join(dataDir, 'layout'));
  const imported = await k8ts(['image', 'import', '--data-dir', dataDir, '--name', 'busybox', join(dataDir, 'layout')]);
  assert.equal(imported.code, 0, imported.stderr);
});
after(async () => {
  for (const line of (await ctr('ps', '-a')).stdout.trim().split('\n').slice(1)) {
    const name = line.trim().split(/\s+/).pop();
    if (name) await ctr('rm', '-f', name);
  }
  execFileSync('ip', ['link', 'delete', bridge], { stdio: 'ignore' });
  execFileSync('nft', ['delete', 'table', 'ip', bridge], { stdio: 'ignore' });
  if (readFileSync('/proc/self/mountinfo', 'utf8').includes(join(dataDir, 'runtime', 'ns'))) execFileSync('umount', [join(dataDir, 'runtime', 'ns')]);
  rmSync(dataDir, { recursive: true, force: true });
});

test('ctr run prints the output and exits with the container status; --rm leaves nothing', async () => {
  const result = await ctr('run', '--rm', '--name', 'once', 'busybox', 'sh', '-c', 'echo hello; hostname; echo oops >&2; exit 7');
  assert.equal(result.code, 7);
  assert.equal(result.stdout, 'hello\nonce\n');
  assert.equal(result.stderr, 'oops\n');
  assert.doesNotMatch((await ctr('ps', '-a')).stdout, /once/);
});

test('ctr run -d, ps, exec, logs, stop and rm', async () => {
  const started = await ctr('run', '-d', '--name', 'ticker', 'busybox', 'sh', '-c', 'trap "exit 0" TERM; while true; do echo tick; sleep 0.2; done');
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /^[0-9a-f]{64}\n$/);
  assert.match((await ctr('ps')).stdout, /^CONTAINER ID\s+IMAGE\s+CREATED\s+STATUS\s+NAMES\n[0-9a-f]{12}\s+busybox\s+.*Up .*ticker\n$/);
  const exec = await ctr('exec', 'ticker', 'sh', '-c', 'cat /etc/hostname; exit 3');
  assert.equal(exec.code, 3);
  assert.equal(exec.stdout, 'ticker\n');
  const piped = await k8ts(['ctr', 'exec', '--data-dir', dataDir, '-i', 'ticker', 'wc', '-l'], 'a\nb\nc\n');
  assert.equal(piped.stdout.trim(), '3');
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.match((await ctr('logs', 'ticker')).stdout, /^(tick\n)+$/);
  assert.match((await ctr('rm', 'ticker')).stderr, /You cannot remove a running container/);
  assert.equal((await ctr('stop', 'ticker')).code, 0);
  assert.match((await ctr('ps', '-a')).stdout, /Exited \(0\) .* ticker/);
  assert.equal((await ctr('rm', 'ticker')).code, 0);
  assert.match((await ctr('exec', 'ticker', 'true')).stderr, /No such container: ticker/);
});

test('ctr run -i feeds standard input; limits apply', async () => {
  const echoed = await k8ts(['ctr', 'run', '--data-dir', dataDir, '--bridge', bridge, '--subnet', subnet, '--rm', '-i', 'busybox', 'sh', '-c', 'read line; echo "got $line"'], 'ping\n');
  assert.equal(echoed.stdout, 'got ping\n');
  const hog = await ctr('run', '--rm', '-m', '16m', 'busybox', 'sh', '-c', 'x=$(yes | head -c 80000000); echo survived');
  assert.equal(hog.code, 137);
  assert.doesNotMatch(hog.stdout, /survived/);
});

test('ctr run -it gives the container a terminal (driven here through util-linux script, as a person at a terminal)', async () => {
  const command = [k8tsBin, 'ctr', 'run', '--data-dir', dataDir, '--bridge', bridge, '--subnet', subnet, '--rm', '-it', 'busybox', 'sh', '-c', 'tty; read line; echo "got $line"'].map((w) => `'${w}'`).join(' ');
  const result = await new Promise<{ stdout: string; code: number }>((resolve) => {
    const child = execFile('script', ['--quiet', '--return', '--command', command, '/dev/null'], { timeout: 60_000 }, (error, stdout) => resolve({ stdout, code: error ? ((error as { code?: number }).code ?? 1) : 0 }));
    setTimeout(() => child.stdin!.write('hello\r'), 1500);
    setTimeout(() => child.stdin!.end(), 3000);
  });
  assert.equal(result.code, 0);
  assert.match(result.stdout, /\/dev\/pts\/\d+\r\n/);
  assert.match(result.stdout, /got hello\r\n/);
});

