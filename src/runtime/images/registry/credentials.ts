// Credentials from a Docker config file (~/.docker/config.json, or a Kubernetes
// `.dockerconfigjson` pull secret): `auths` maps a registry to a base64 "user:password" `auth`,
// or to `username`/`password`, or to an `identitytoken`. Docker Hub is stored under
// "https://index.docker.io/v1/", which must match pulls from docker.io.
import { readFile } from 'node:fs/promises';
import { defaultDomain, dockerHubApiHost } from '../reference.js';

export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (`docker login` with an identity provider). */
  identityToken?: string;
  /** A bearer token to send as is (Kubernetes' `registrytoken`). */
  registryToken?: string;
}

interface DockerConfigEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface DockerConfig {
  auths?: Record<string, DockerConfigEntry>;
}

const dockerHubKeys = new Set([defaultDomain, 'index.docker.io', dockerHubApiHost]);

/** "https://index.docker.io/v1/" → "docker.io"; "http://127.0.0.1:5000/v2/" → "127.0.0.1:5000". */
export function normalizeRegistryKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return dockerHubKeys.has(host) ? defaultDomain : host;
}

export function parseDockerConfig(text: string): DockerConfig {
  const parsed = JSON.parse(text) as DockerConfig & { [registry: string]: unknown };
  // The legacy .dockercfg format is the auths map itself.
  if (parsed.auths) return parsed;
  return { auths: parsed as Record<string, DockerConfigEntry> };
}

export async function loadDockerConfig(path: string): Promise<DockerConfig> {
  return parseDockerConfig(await readFile(path, 'utf8'));
}

/** "*.example.com" matches "a.example.com" (one label per "*"), as the kubelet's credential provider matches hosts. */
function hostMatches(pattern: string, host: string): boolean {
  const [patternHost = '', patternPort] = pattern.split(/:(?=\d+$)/);
  const [hostName = '', hostPort] = host.split(/:(?=\d+$)/);
  if (patternPort !== hostPort) return false;
  const patternLabels = patternHost.split('.');
  const hostLabels = hostName.split('.');
  return patternLabels.length === hostLabels.length && patternLabels.every((label, i) => label === '*' || label === hostLabels[i]);
}

/** A key's path part ("registry.example.com/team" → "team"); Docker Hub's "/v1/" and "/v2/" are not paths. */
function keyPath(key: string): string {
  const path = key.replace(/^[a-z]+:\/\//i, '').replace(/^[^/]*\/?/, '').replace(/\/+$/, '');
  return /^v[12]$/.test(path) ? '' : path;
}

/**
 * The credentials for a registry domain ("docker.io", "ghcr.io", "127.0.0.1:5000") and, optionally,
 * a repository path in it: exact hosts (Docker's rule), "*" host labels and path prefixes (the
 * kubelet's, for imagePullSecrets); the most specific key wins.
 */
export function credentialsFor(config: DockerConfig, domain: string, repositoryPath = ''): Credentials | undefined {
  const wanted = normalizeRegistryKey(domain);
  const matching = Object.entries(config.auths ?? {})
    .filter(([key]) => hostMatches(normalizeRegistryKey(key), wanted))
    .filter(([key]) => {
      const path = keyPath(key);
      return path === '' || repositoryPath === path || repositoryPath.startsWith(`${path}/`);
    })
    .sort(([a], [b]) => keyPath(b).length - keyPath(a).length || Number(normalizeRegistryKey(a).includes('*')) - Number(normalizeRegistryKey(b).includes('*')));
  for (const [key, entry] of matching) {
    if (entry.registrytoken) return { registryToken: entry.registrytoken };
    if (entry.identitytoken) return { identityToken: entry.identitytoken, username: entry.username };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new Error(`invalid auth configuration for ${key}: the auth field is not base64 "user:password"`);
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username !== undefined) return { username: entry.username, password: entry.password ?? '' };
  }
  return undefined;
}
