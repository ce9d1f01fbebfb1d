// Registry credentials for a pod's image pulls, as upstream's kubelet reads them: the pod's
// imagePullSecrets (kubernetes.io/dockerconfigjson, or the legacy kubernetes.io/dockercfg), and —
// as upstream's ServiceAccount admission would have copied them into a pod that names none —
// its service account's. A secret that cannot be read is skipped with upstream's
// FailedToRetrieveImagePullSecret warning; the pull then goes ahead without it.
import type { LocalObjectReference, Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { credentialsFor, parseDockerConfig, type Credentials, type DockerConfig } from '../../runtime/images/registry/credentials.js';

export interface PullSecretSource {
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  serviceAccount(namespace: string, name: string): Promise<ServiceAccount | undefined>;
  warn(message: string): void;
}

export type CredentialLookup = (domain: string, repositoryPath: string) => Credentials | undefined;

function dockerConfigOf(secret: Secret): DockerConfig | undefined {
  const data = secret.data ?? {};
  const encoded = secret.type === 'kubernetes.io/dockercfg' ? data['.dockercfg'] : data['.dockerconfigjson'];
  if (!encoded) return undefined;
  return parseDockerConfig(Buffer.from(encoded, 'base64').toString('utf8'));
}

/** The lookup pullImage takes, or undefined when the pod has no pull secrets at all. */
export async function podPullCredentials(pod: Pod, source: PullSecretSource): Promise<CredentialLookup | undefined> {
  const namespace = pod.metadata?.namespace ?? 'default';
  let refs: LocalObjectReference[] = pod.spec?.imagePullSecrets ?? [];
  if (refs.length === 0 && pod.spec?.serviceAccountName) {
    refs = (await source.serviceAccount(namespace, pod.spec.serviceAccountName).catch(() => undefined))?.imagePullSecrets ?? [];
  }
  const configs: DockerConfig[] = [];
  const missing: string[] = [];
  for (const ref of refs) {
    if (!ref.name) continue;
    try {
      const secret = await source.secret(namespace, ref.name);
      const config = secret ? dockerConfigOf(secret) : undefined;
      if (config) configs.push(config);
      else missing.push(ref.name);
    } catch {
      missing.push(ref.name);
    }
  }
  if (missing.length > 0) source.warn(`Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`);
  if (configs.length === 0) return undefined;
  // Upstream tries each secret in turn; the first with credentials for the registry is used.
  return (domain, repositoryPath) => {
    for (const config of configs) {
      const credentials = credentialsFor(config, domain, repositoryPath);
      if (credentials) return credentials;
    }
    return undefined;
  };
}
