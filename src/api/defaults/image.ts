// Image reference parsing, just enough to decide a container's default imagePullPolicy.
// Upstream parses with the docker reference grammar; an unparsable reference yields no tag,
// which makes the policy IfNotPresent, and a reference with neither tag nor digest means
// the implicit ":latest" tag.

const nameComponent = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const referencePattern = new RegExp(
  `^((?:${domain}/)?${nameComponent}(?:/${nameComponent})*)(?::(${tag}))?(?:@(${digest}))?$`,
);
const hexIdentifier = /^[a-f0-9]{64}$/;
const maxNameLength = 255;

export interface ImageReference {
  name: string;
  /** The explicit tag, "latest" when neither tag nor digest is given, "" with only a digest. */
  tag: string;
  digest: string;
}

/** Parses an image reference; undefined when upstream's parser would reject it. */
export function parseImageReference(image: string): ImageReference | undefined {
  if (hexIdentifier.test(image)) return undefined;
  const match = referencePattern.exec(image);
  if (!match) return undefined;
  const name = match[1] ?? '';
  if (name.length > maxNameLength) return undefined;
  const explicitTag = match[2] ?? '';
  const explicitDigest = match[3] ?? '';
  const impliedTag = explicitTag === '' && explicitDigest === '' ? 'latest' : explicitTag;
  return { name, tag: impliedTag, digest: explicitDigest };
}

/** Upstream's default: Always for ":latest" (explicit or implied), IfNotPresent otherwise. */
export function defaultPullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  const parsed = typeof image === 'string' ? parseImageReference(image) : undefined;
  return parsed?.tag === 'latest' ? 'Always' : 'IfNotPresent';
}
