// WWW-Authenticate challenges (RFC 7235): `Bearer realm="https://auth.docker.io/token",
// service="registry.docker.io",scope="repository:library/busybox:pull"` or `Basic realm="…"`.
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  const pattern = /\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*)))?\s*,?/g;
  let current: Challenge | undefined;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(header)) !== null && match[0] !== '') {
    const [, name, quoted, bare] = match;
    if (quoted === undefined && bare === undefined) {
      current = { scheme: name!.toLowerCase(), params: {} };
      challenges.push(current);
    } else if (current) {
      current.params[name!.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare!;
    }
  }
  return challenges;
}
