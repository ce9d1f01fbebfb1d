// For tests: a real OCI image layout holding a busybox image made from Debian's busybox-static,
// built with umoci (a real OCI tool), so runtime tests need no registry and no image builder.
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const busyboxBinary = '/bin/busybox';
/** The applets the tests use; everything else is reachable as `busybox <applet>`. */
const applets = ['sh', 'echo', 'cat', 'ls', 'sleep', 'ps', 'id', 'hostname', 'env', 'true', 'false', 'head', 'tail', 'wc', 'mkdir', 'rm', 'touch', 'grep', 'sed', 'date', 'kill', 'yes', 'dd', 'nc', 'wget', 'tar', 'mount', 'top'];

/** Writes an OCI layout at `dir` with one image tagged `tag` (umoci stores the tag as ref.name). */
export async function buildBusyboxLayout(dir: string, tag = 'latest'): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  const image = `${dir}:${tag}`;
  await run('umoci', ['init', '--layout', dir]);
  await run('umoci', ['new', '--image', image]);
  const bundle = `${dir}.bundle`;
  rmSync(bundle, { recursive: true, force: true });
  await run('umoci', ['unpack', '--image', image, bundle]);
  const rootfs = join(bundle, 'rootfs');
  for (const sub of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'root', 'var']) mkdirSync(join(rootfs, sub), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  copyFileSync(busyboxBinary, join(rootfs, 'bin', 'busybox'));
  chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
  for (const applet of applets) symlinkSync('busybox', join(rootfs, 'bin', applet));
  writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  await run('umoci', ['repack', '--image', image, bundle]);
  await run('umoci', ['config', '--image', image, '--config.cmd', 'sh', '--config.env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '--config.workingdir', '/']);
  await run('umoci', ['gc', '--layout', dir]);
  rmSync(bundle, { recursive: true, force: true });
}
