// Dockerfile syntax: parser directives (escape), comments, line continuations, instructions
// with leading --flags, and the JSON (exec) form. Words are expanded later, at build time,
// when the variables are known (see words.ts).
export interface Instruction {
  /** Upper-case keyword: "FROM", "RUN", … */
  keyword: string;
  /** Leading --name=value flags (COPY --chown=1:1, FROM --platform=…). */
  flags: Record<string, string>;
  /** The arguments after the flags, as written (continuations joined). */
  text: string;
  /** The exec form, when the arguments are a JSON array of strings. */
  json?: string[];
  /** 1-based line of the instruction, for errors. */
  line: number;
}

export class DockerfileParseError extends Error {
  constructor(line: number, message: string) {
    super(`dockerfile parse error on line ${line}: ${message}`);
  }
}

export const knownInstructions = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);
/** Instructions whose arguments may be a JSON array. */
const jsonInstructions = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME']);
const flagInstructions = new Set(['FROM', 'RUN', 'COPY', 'ADD']);

function parseJsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits leading "--name=value" flags off the arguments. */
function takeFlags(text: string, line: number): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = text;
  for (;;) {
    const match = /^--([a-z][a-z-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest);
    if (!match) break;
    if (match[2] === undefined) throw new DockerfileParseError(line, `flag --${match[1]} needs a value (--${match[1]}=VALUE)`);
    flags[match[1]!] = match[2];
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

export function parseDockerfile(source: string): Instruction[] {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  let escape = '\\';
  let index = 0;
  // Parser directives: "# name=value" lines at the very top.
  for (; index < lines.length; index++) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(.*?)\s*$/.exec(lines[index]!);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape') {
      if (directive[2] !== '\\' && directive[2] !== '`') throw new DockerfileParseError(index + 1, `invalid escape token '${directive[2]}' does not match ` + '` or \\');
      escape = directive[2]!;
    }
  }
  const instructions: Instruction[] = [];
  while (index < lines.length) {
    const startLine = index + 1;
    let raw = lines[index++]!;
    if (/^\s*(#|$)/.test(raw)) continue;
    let joined = '';
    // Continuations: an escape at the end of a line joins the next; comment lines inside are dropped.
    for (;;) {
      const trimmed = raw.replace(/\s+$/, '');
      if (trimmed.endsWith(escape) && index <= lines.length) {
        joined += trimmed.slice(0, -1);
        while (index < lines.length && /^\s*(#|$)/.test(lines[index]!)) index++;
        if (index >= lines.length) break;
        raw = lines[index++]!;
        continue;
      }
      joined += raw;
      break;
    }
    const match = /^\s*(\S+)\s*(.*?)\s*$/s.exec(joined);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    if (!knownInstructions.has(keyword)) throw new DockerfileParseError(startLine, `unknown instruction: ${match[1]}`);
    const { flags, rest } = flagInstructions.has(keyword) ? takeFlags(match[2]!, startLine) : { flags: {}, rest: match[2]! };
    const json = jsonInstructions.has(keyword) ? parseJsonArray(rest) : undefined;
    instructions.push({ keyword, flags, text: rest, ...(json ? { json } : {}), line: startLine });
  }
  if (!instructions.some((i) => i.keyword === 'FROM')) throw new DockerfileParseError(1, 'no FROM instruction: a Dockerfile must start with FROM (ARG may come first)');
  const first = instructions.find((i) => i.keyword !== 'ARG');
  if (first && first.keyword !== 'FROM') throw new DockerfileParseError(first.line, `${first.keyword} before FROM: the first instruction must be FROM`);
  return instructions;
}
