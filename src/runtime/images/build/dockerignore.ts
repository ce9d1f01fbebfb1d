// .dockerignore: one pattern a line, "#" comments, "!" re-includes, "**" any number of
// directories, and a match on a directory excludes everything under it (moby's patternmatcher).
export interface IgnorePattern {
  regex: RegExp;
  exclusion: boolean;
}

function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** A glob as in Go's filepath.Match, plus "**": a regular expression over a whole relative path. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // "**/" matches zero or more directories; a trailing "**" matches everything below.
      i++;
      if (glob[i + 1] === '/') {
        i++;
        source += '(?:.*/)?';
      } else source += '.*';
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      if (body.startsWith('^') || body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (c === '\\') {
      source += `\\${glob[++i] ?? '\\'}`;
    } else source += c.replace(/[.+^${}()|]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  for (const rawLine of text.split('\n')) {
    let line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const exclusion = line.startsWith('!');
    if (exclusion) line = line.slice(1).trim();
    const cleaned = cleanPath(line);
    if (!cleaned) continue;
    patterns.push({ regex: globToRegExp(cleaned), exclusion });
  }
  return patterns;
}

/** Whether a context-relative path is excluded: the last pattern matching it or a parent decides. */
export function isIgnored(patterns: readonly IgnorePattern[], path: string): boolean {
  const cleaned = cleanPath(path);
  const parts = cleaned.split('/');
  let ignored = false;
  for (const pattern of patterns) {
    if (pattern.exclusion !== ignored) continue;
    let matched = pattern.regex.test(cleaned);
    for (let i = 1; !matched && i < parts.length; i++) matched = pattern.regex.test(parts.slice(0, i).join('/'));
    if (matched) ignored = !pattern.exclusion;
  }
  return ignored;
}
