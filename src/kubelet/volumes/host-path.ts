// hostPath type checks as upstream's hostpath plugin: the *OrCreate types create what is
// missing, the others require the path to exist as that kind of file.
import { closeSync, openSync, mkdirSync, statSync, type Stats } from 'node:fs';
import { VolumeSetUpError } from './payload.js';

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

export function checkHostPath(path: string, type: string | undefined): void {
  const fail = (what: string): never => {
    throw new VolumeSetUpError(`hostPath type check failed: ${path} is not ${what}`);
  };
  switch (type ?? '') {
    case '':
      return;
    case 'DirectoryOrCreate':
      if (!stat(path)) mkdirSync(path, { recursive: true, mode: 0o755 });
      if (!stat(path)?.isDirectory()) fail('a directory');
      return;
    case 'Directory':
      if (!stat(path)?.isDirectory()) fail('a directory');
      return;
    case 'FileOrCreate':
      if (!stat(path)) closeSync(openSync(path, 'a', 0o644));
      if (!stat(path)?.isFile()) fail('a file');
      return;
    case 'File':
      if (!stat(path)?.isFile()) fail('a file');
      return;
    case 'Socket':
      if (!stat(path)?.isSocket()) fail('a socket file');
      return;
    case 'CharDevice':
      if (!stat(path)?.isCharacterDevice()) fail('a character device');
      return;
    case 'BlockDevice':
      if (!stat(path)?.isBlockDevice()) fail('a block device');
      return;
    default:
      throw new VolumeSetUpError(`hostPath type check failed: unknown type ${type}`);
  }
}
