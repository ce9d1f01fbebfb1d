// Writes a kubeconfig with everything embedded (base64 *-data fields), as kubeadm's admin.conf.
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** API server URL, e.g. https://127.0.0.1:6443 */
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** Defaults to kubernetes-admin. */
  user?: string;
  /** Defaults to k8ts. */
  clusterName?: string;
  /** Defaults to k8ts. */
  contextName?: string;
  /** Namespace of the context; omitted by default, which kubectl reads as "default". */
  namespace?: string;
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The kubeconfig document as YAML text. */
export function renderKubeconfig(opts: KubeconfigOptions): string {
  let url: URL;
  try {
    url = new URL(opts.server);
  } catch {
    throw new Error(`kubeconfig server must be a URL, got ${JSON.stringify(opts.server)}`);
  }
  if (url.protocol !== 'https:') throw new Error(`kubeconfig server must use https, got ${JSON.stringify(opts.server)}`);
  const user = opts.user ?? 'kubernetes-admin';
  const cluster = opts.clusterName ?? 'k8ts';
  const context = opts.contextName ?? 'k8ts';
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: opts.server, 'certificate-authority-data': base64(opts.caPem) } }],
    users: [{ name: user, user: { 'client-certificate-data': base64(opts.clientCertPem), 'client-key-data': base64(opts.clientKeyPem) } }],
    contexts: [{ name: context, context: { cluster, user, ...(opts.namespace ? { namespace: opts.namespace } : {}) } }],
    'current-context': context,
    preferences: {},
  };
  return stringify(doc, { lineWidth: 0 });
}

/** Writes the kubeconfig atomically with mode 0600 (it holds a private key). */
export async function writeKubeconfig(path: string, opts: KubeconfigOptions): Promise<void> {
  const text = renderKubeconfig(opts);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}
