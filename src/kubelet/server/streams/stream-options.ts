// The query of /exec and /attach: which streams the client wants and whether it wants a TTY.
import { BadRequestError } from '../errors.js';

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  command: string[];
}

/** Go's strconv.ParseBool, which the kubelet uses for these flags. */
function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

export function parseStreamOptions(query: URLSearchParams, needsCommand: boolean): StreamOptions {
  const options: StreamOptions = {
    stdin: flag(query, 'stdin') || flag(query, 'input'),
    stdout: flag(query, 'stdout') || flag(query, 'output'),
    stderr: flag(query, 'stderr') || flag(query, 'error'),
    tty: flag(query, 'tty'),
    command: query.getAll('command'),
  };
  if (!options.stdin && !options.stdout && !options.stderr) throw new BadRequestError('you must specify at least 1 of stdin, stdout, stderr');
  if (needsCommand && options.command.length === 0) throw new BadRequestError('you must specify a command');
  // With a TTY the terminal merges stderr into stdout, as upstream's remotecommand.
  if (options.tty) options.stderr = false;
  return options;
}
