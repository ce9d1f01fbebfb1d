// Docker-style image references: "busybox" means docker.io/library/busybox:latest, as the
// Docker CLI and kubelet normalise them. A reference is domain/path[:tag][@sha256:digest].
export interface ImageReference {
  /** Registry host, with port if any: "docker.io", "127.0.0.1:5000". */
  domain: string;
  /** Repository path inside the registry: "library/busybox". */
  path: string;
  tag?: string;
  digest?: string;
}

export const defaultDomain = 'docker.io';
/** Where docker.io's API actually lives. */
export const dockerHubApiHost = 'registry-1.docker.io';

const digestPattern = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const pathComponentPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export class InvalidReferenceError extends Error {}

export function parseReference(text: string): ImageReference {
  if (!text || text !== text.trim()) throw new InvalidReferenceError(`invalid reference format: "${text}"`);
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) throw new InvalidReferenceError(`invalid reference format: "${text}"`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) throw new InvalidReferenceError(`invalid reference format: "${text}"`);
  }
  let domain = defaultDomain;
  let path = rest;
  const firstSlash = rest.indexOf('/');
  const first = firstSlash >= 0 ? rest.slice(0, firstSlash) : '';
  // The first component is a registry when it looks like a host: has a dot or port, or is localhost.
  if (firstSlash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first;
    path = rest.slice(firstSlash + 1);
  }
  if (domain === 'index.docker.io') domain = defaultDomain;
  if (domain === defaultDomain && !path.includes('/')) path = `library/${path}`;
  if (!path.split('/').every((component) => pathComponentPattern.test(component))) {
    throw new InvalidReferenceError(`invalid reference format: repository name (${path}) must be lowercase`);
  }
  if (!tag && !digest) tag = 'latest';
  return { domain, path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The fully qualified name: "docker.io/library/busybox:latest". */
export function formatReference(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

export function normalizeReference(text: string): string {
  return formatReference(parseReference(text));
}

/** "docker.io/library/busybox" without tag or digest: the repository. */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}
