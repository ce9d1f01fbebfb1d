// Where the kubelet keeps its serving certificate, as upstream's certificate FileStore: the
// certificate and its key in one PEM file (mode 0600) named kubelet-server-<time>.pem, and the
// symlink kubelet-server-current.pem pointing at the one in use, swapped by rename.
import { chmod, mkdir, readFile, rename, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertAndKey } from '../../pki/certs.js';
import { keyMatchesCertificate } from '../../pki/inspect.js';

export const servingPairPrefix = 'kubelet-server';
export const currentPairFile = `${servingPairPrefix}-current.pem`;

function pemBlocks(text: string, type: RegExp): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z ]+)-----\r?\n[\s\S]*?-----END \1-----\r?\n?/g)].filter((m) => type.test(m[1]!)).map((m) => m[0].endsWith('\n') ? m[0] : `${m[0]}\n`);
}

/** "2026-11-23-00-28-35", the time stamp upstream names rotated pairs with. */
function stamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, '').replace(/[T:]/g, '-');
}

export class ServingCertificateStore {
  constructor(readonly dir: string) {}

  /** The pair in use, or undefined when there is none or it is unreadable or mismatched. */
  async current(): Promise<CertAndKey | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.dir, currentPairFile), 'utf8');
    } catch {
      return undefined;
    }
    const certPem = pemBlocks(text, /^CERTIFICATE$/).join('');
    const keyPem = pemBlocks(text, /PRIVATE KEY$/)[0];
    if (!certPem || !keyPem || !keyMatchesCertificate(certPem, keyPem)) return undefined;
    return { certPem, keyPem };
  }

  /** Writes a new pair and points the current link at it. */
  async update(pair: CertAndKey, now = new Date()): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const name = `${servingPairPrefix}-${stamp(now)}.pem`;
    const path = join(this.dir, name);
    await writeFile(path, `${pair.certPem.trimEnd()}\n${pair.keyPem.trimEnd()}\n`, { mode: 0o600 });
    await chmod(path, 0o600);
    const link = join(this.dir, `${currentPairFile}.tmp`);
    await unlink(link).catch(() => undefined);
    await symlink(name, link);
    await rename(link, join(this.dir, currentPairFile));
    return path;
  }
}
