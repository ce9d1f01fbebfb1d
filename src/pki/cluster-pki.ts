// The cluster's certificate directory, like kubeadm's certs phase: made on first start, reused
// afterwards. Files are checked on reuse, so a changed hostname or address (a SAN the serving cert
// lacks), an expiring leaf, or a replaced CA gets a fresh certificate instead of a TLS failure.
import { createPublicKey } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertAndKey, ServiceAccountKey } from './certs.js';
import { classifySANs, describeCertificate, isSignedBy, keyMatchesCertificate } from './inspect.js';

/** Certificate generation pulls in @peculiar/x509 (slow to load); only a first start needs it. */
const generator = () => import('./certs.js');

export interface ClusterPkiOptions {
  /** This machine's host name; goes into the serving cert. */
  hostname: string;
  /** The address the API server binds; left out of the SANs when it is 0.0.0.0 or ::. */
  bindAddress?: string;
  /** Addresses clients use to reach this node. */
  nodeAddresses?: readonly string[];
  /** The kubernetes Service's cluster IP (first address of the service range), e.g. 10.96.0.1. */
  serviceIP?: string;
  /** Cluster DNS domain, default cluster.local. */
  dnsDomain?: string;
  /** More DNS names or IPs for the serving cert. */
  extraSANs?: readonly string[];
}

export const pkiFileNames = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'server.crt',
  serverKey: 'server.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
  kubeletClientCert: 'apiserver-kubelet-client.crt',
  kubeletClientKey: 'apiserver-kubelet-client.key',
  serviceAccountKey: 'sa.key',
  serviceAccountPub: 'sa.pub',
} as const;

export type PkiFile = keyof typeof pkiFileNames;

export interface ClusterPki {
  dir: string;
  paths: Record<PkiFile, string>;
  ca: CertAndKey;
  server: CertAndKey;
  admin: CertAndKey;
  /** The API server's client certificate towards kubelets (logs, exec, attach, port-forward). */
  kubeletClient: CertAndKey;
  serviceAccount: ServiceAccountKey;
  /** Files written by this call (empty when everything was reused). */
  written: string[];
}

export const adminUser = 'kubernetes-admin';
export const adminGroup = 'system:masters';
/** kubeadm's name for the API server's identity towards kubelets; kubelets serve only it. */
export const kubeletClientUser = 'kube-apiserver-kubelet-client';
const caCommonName = 'kubernetes';
const serverCommonName = 'kube-apiserver';
/** Leaves this close to expiry are reissued on start rather than left to fail. */
const renewBeforeMs = 30 * 24 * 60 * 60 * 1000;

/** Every DNS name and IP the API serving certificate must carry. */
export function servingSANs(opts: ClusterPkiOptions): { dnsNames: string[]; ipAddresses: string[] } {
  const domain = opts.dnsDomain ?? 'cluster.local';
  const unspecified = new Set(['0.0.0.0', '::', '[::]']);
  const entries = [
    'localhost',
    opts.hostname,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${domain}`,
    '127.0.0.1',
    '::1',
    ...(opts.bindAddress && !unspecified.has(opts.bindAddress) ? [opts.bindAddress] : []),
    ...(opts.nodeAddresses ?? []),
    ...(opts.serviceIP ? [opts.serviceIP] : []),
    ...(opts.extraSANs ?? []),
  ];
  return classifySANs(entries);
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes via a temp file and rename, so a crash never leaves half a key behind. */
async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await chmod(temp, mode);
  await rename(temp, path);
}

function stillFresh(certPem: string): boolean {
  const { notBefore, notAfter } = describeCertificate(certPem);
  const now = Date.now();
  return notBefore.getTime() <= now + 5 * 60 * 1000 && notAfter.getTime() - now > renewBeforeMs;
}

/** A cert/key pair read from disk, or undefined when missing, mismatched or unparsable. */
async function loadPair(certPath: string, keyPath: string): Promise<CertAndKey | undefined> {
  const [certPem, keyPem] = await Promise.all([readIfPresent(certPath), readIfPresent(keyPath)]);
  if (!certPem || !keyPem || !keyMatchesCertificate(certPem, keyPem)) return undefined;
  return { certPem, keyPem };
}

async function reusableLeaf(pair: CertAndKey | undefined, ca: CertAndKey, acceptable: (certPem: string) => boolean): Promise<CertAndKey | undefined> {
  if (!pair) return undefined;
  try {
    if (!stillFresh(pair.certPem) || !acceptable(pair.certPem)) return undefined;
  } catch {
    return undefined;
  }
  return (await isSignedBy(pair.certPem, ca.certPem)) ? pair : undefined;
}

function hasAllSANs(certPem: string, wanted: { dnsNames: string[]; ipAddresses: string[] }): boolean {
  const facts = describeCertificate(certPem);
  // Compare IPs in a normal form: openssl and our encoder may spell IPv6 differently.
  const have = new Set(facts.ipAddresses.map(normalizeIP));
  return wanted.dnsNames.every((d) => facts.dnsNames.includes(d)) && wanted.ipAddresses.every((ip) => have.has(normalizeIP(ip)));
}

function normalizeIP(ip: string): string {
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname;
  } catch {
    return ip.toLowerCase();
  }
}

async function loadServiceAccountKey(keyPath: string, pubPath: string): Promise<ServiceAccountKey | undefined> {
  const privateKeyPem = await readIfPresent(keyPath);
  if (!privateKeyPem) return undefined;
  try {
    // The public half is always derivable; sa.pub is rewritten if it is missing or stale.
    const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
    return { privateKeyPem, publicKeyPem };
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `dir` holds a CA, an API serving cert, an admin client cert and the service-account
 * key pair, creating or replacing only what is missing or unusable. Keys are 0600, the dir 0700.
 */
export async function ensureClusterPki(dir: string, opts: ClusterPkiOptions): Promise<ClusterPki> {
  if (!opts.hostname) throw new Error('ensureClusterPki: hostname is required');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const paths = Object.fromEntries(Object.entries(pkiFileNames).map(([k, name]) => [k, join(dir, name)])) as Record<PkiFile, string>;
  const written: string[] = [];
  const save = async (file: PkiFile, text: string, secret: boolean): Promise<void> => {
    await writeAtomically(paths[file], text, secret ? 0o600 : 0o644);
    written.push(paths[file]);
  };

  let ca = await loadPair(paths.caCert, paths.caKey);
  if (ca && !caStillValid(ca.certPem)) ca = undefined;
  if (!ca) {
    ca = await (await generator()).generateCA(caCommonName);
    await save('caKey', ca.keyPem, true);
    await save('caCert', ca.certPem, false);
  }

  const wanted = servingSANs(opts);
  let server = await reusableLeaf(await loadPair(paths.serverCert, paths.serverKey), ca, (pem) => hasAllSANs(pem, wanted));
  if (!server) {
    server = await (await generator()).issueServingCert(ca, { commonName: serverCommonName, ...wanted });
    await save('serverKey', server.keyPem, true);
    await save('serverCert', server.certPem, false);
  }

  let admin = await reusableLeaf(await loadPair(paths.adminCert, paths.adminKey), ca, (pem) => describeCertificate(pem).subjectCommonName === adminUser);
  if (!admin) {
    admin = await (await generator()).issueClientCert(ca, { commonName: adminUser, organizations: [adminGroup] });
    await save('adminKey', admin.keyPem, true);
    await save('adminCert', admin.certPem, false);
  }

  let kubeletClient = await reusableLeaf(await loadPair(paths.kubeletClientCert, paths.kubeletClientKey), ca, (pem) => describeCertificate(pem).subjectCommonName === kubeletClientUser);
  if (!kubeletClient) {
    kubeletClient = await (await generator()).issueClientCert(ca, { commonName: kubeletClientUser, organizations: [adminGroup] });
    await save('kubeletClientKey', kubeletClient.keyPem, true);
    await save('kubeletClientCert', kubeletClient.certPem, false);
  }

  let serviceAccount = await loadServiceAccountKey(paths.serviceAccountKey, paths.serviceAccountPub);
  if (!serviceAccount) {
    serviceAccount = await (await generator()).generateServiceAccountKey();
    await save('serviceAccountKey', serviceAccount.privateKeyPem, true);
  }
  if ((await readIfPresent(paths.serviceAccountPub)) !== serviceAccount.publicKeyPem) await save('serviceAccountPub', serviceAccount.publicKeyPem, false);

  // Reused keys may have been loosened by hand or by a copy; keep them private.
  for (const key of ['caKey', 'serverKey', 'adminKey', 'kubeletClientKey', 'serviceAccountKey'] as const) await chmod(paths[key], 0o600);

  return { dir, paths, ca, server, admin, kubeletClient, serviceAccount, written };
}

function caStillValid(certPem: string): boolean {
  try {
    return describeCertificate(certPem).notAfter.getTime() > Date.now();
  } catch {
    return false;
  }
}
