// Where a component finds its API server and credentials: a kubeconfig file (kubectl's format)
// or, inside a pod, the service account files the kubelet mounts (client-go's rest.InClusterConfig).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ThreadChannelClient } from './thread-channel.js';
import type { LoopbackConnector } from './loopback.js';

export interface RestConfig {
  /** The API server's base URL, e.g. https://127.0.0.1:6443. */
  server: string;
  /** PEM CA bundle that signs the server's certificate; the system roots when absent. */
  ca?: Buffer;
  /** PEM client certificate and key (x509 authentication). */
  cert?: Buffer;
  key?: Buffer;
  bearerToken?: string;
  /** Re-read periodically, since kubelet rotates projected service account tokens. */
  bearerTokenFile?: string;
  insecureSkipTlsVerify?: boolean;
  /** The namespace of the kubeconfig context or the pod; where namespaced work defaults to. */
  namespace?: string;
  /** Client-side rate limit (token bucket); k3s's components use 50/100. */
  qps?: number;
  burst?: number;
  /** Whole-request limit for non-watch requests. */
  requestTimeoutMs?: number;
  userAgent?: string;
  /**
   * In-memory connections to an API server in this process (components of `k8ts server`): no TLS,
   * and the server authenticates the connection itself, so ca/cert/key are not used for requests.
   * `server` still gives the request paths and Host header.
   */
  loopback?: LoopbackConnector;
  /**
   * For a component in a worker thread of `k8ts server`: its requests go to the main thread's API
   * server over one MessagePort (thread-channel.ts), authenticated by the channel as loopback is.
   */
  threadChannel?: ThreadChannelClient;
}

export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user?: string; namespace?: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority'?: string; 'certificate-authority-data'?: string; 'insecure-skip-tls-verify'?: boolean } }[];
  users?: { name: string; user: { 'client-certificate'?: string; 'client-certificate-data'?: string; 'client-key'?: string; 'client-key-data'?: string; token?: string; tokenFile?: string } }[];
}

/** Loads the current (or the named) context of a kubeconfig file. Relative file paths resolve against the file's directory, as kubectl does. */
export function loadKubeconfig(path: string, options: { context?: string } = {}): RestConfig {
  const file = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as KubeconfigFile;
  const contextName = options.context ?? file['current-context'];
  const context = file.contexts?.find((entry) => entry.name === contextName)?.context;
  if (!context) throw new Error(`kubeconfig ${path}: context "${contextName ?? ''}" not found`);
  const cluster = file.clusters?.find((entry) => entry.name === context.cluster)?.cluster;
  if (!cluster) throw new Error(`kubeconfig ${path}: cluster "${context.cluster}" not found`);
  const user = file.users?.find((entry) => entry.name === context.user)?.user ?? {};
  const base = dirname(path);
  const resolvePath = (file: string): string => (isAbsolute(file) ? file : join(base, file));
  const dataOrFile = (data: string | undefined, file: string | undefined): Buffer | undefined =>
    data ? Buffer.from(data, 'base64') : file ? readFileSync(resolvePath(file)) : undefined;

  const config: RestConfig = { server: cluster.server, namespace: context.namespace ?? 'default' };
  const ca = dataOrFile(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (ca) config.ca = ca;
  const cert = dataOrFile(user['client-certificate-data'], user['client-certificate']);
  if (cert) config.cert = cert;
  const key = dataOrFile(user['client-key-data'], user['client-key']);
  if (key) config.key = key;
  if (user.token) config.bearerToken = user.token;
  if (user.tokenFile) config.bearerTokenFile = resolvePath(user.tokenFile);
  if (cluster['insecure-skip-tls-verify']) config.insecureSkipTlsVerify = true;
  return config;
}

/** The config of a process running in a pod: KUBERNETES_SERVICE_HOST/PORT and the mounted service account. */
export function loadInClusterConfig(options: { env?: NodeJS.ProcessEnv; dir?: string } = {}): RestConfig {
  const env = options.env ?? process.env;
  const dir = options.dir ?? serviceAccountDir;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
  // An IPv6 service host needs brackets in a URL.
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const tokenFile = join(dir, 'token');
  const config: RestConfig = { server: `https://${hostPart}:${port}`, bearerTokenFile: tokenFile, bearerToken: readFileSync(tokenFile, 'utf8').trim(), ca: readFileSync(join(dir, 'ca.crt')) };
  try {
    config.namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim();
  } catch {
    config.namespace = 'default';
  }
  return config;
}

/** In a pod the in-cluster config; otherwise $KUBECONFIG (its first entry) or ~/.kube/config. */
export function loadDefaultConfig(env: NodeJS.ProcessEnv = process.env): RestConfig {
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) return loadInClusterConfig({ env });
  const fromEnv = env.KUBECONFIG?.split(':').find((entry) => entry !== '');
  return loadKubeconfig(fromEnv ?? join(homedir(), '.kube', 'config'));
}
