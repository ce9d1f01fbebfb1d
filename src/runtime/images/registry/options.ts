// What pull and push take: who we are, which registries may be plain HTTP, which CA to trust,
// which mirrors to try for Docker Hub, and where to report progress.
import type { Credentials } from './credentials.js';
import type { ProgressEvent } from './progress.js';

export interface RegistryOptions {
  /** Credentials for every registry, or a lookup by domain (e.g. over a .dockerconfigjson). */
  auth?: Credentials | ((domain: string, repositoryPath: string) => Credentials | undefined);
  /** Registries ("host:port") reached over plain HTTP or unverified HTTPS, as dockerd's insecure-registries. */
  insecureRegistries?: readonly string[];
  /** Mirrors of docker.io ("https://mirror.gcr.io", "http://127.0.0.1:5001"), tried first on pull. */
  mirrors?: readonly string[];
  /** PEM files with CAs to trust for registries, in addition to the system's. */
  caFile?: string | readonly string[];
  onProgress?: (event: ProgressEvent) => void;
}

/** Docker allows these without TLS with no configuration (its default insecure-registries is 127.0.0.0/8). */
export function isLoopbackRegistry(domain: string): boolean {
  const host = domain.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function isInsecureRegistry(domain: string, options: RegistryOptions): boolean {
  return isLoopbackRegistry(domain) || (options.insecureRegistries ?? []).includes(domain);
}

export function credentialsFrom(options: RegistryOptions, domain: string, repositoryPath: string): Credentials | undefined {
  return typeof options.auth === 'function' ? options.auth(domain, repositoryPath) : options.auth;
}
