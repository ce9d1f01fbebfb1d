// The query of /containerLogs, as the kubelet reads it (v1.PodLogOptions): follow, previous,
// tailLines, sinceSeconds or sinceTime, timestamps, limitBytes.
import { BadRequestError } from '../errors.js';

export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Only the last this many lines; undefined for all. */
  tailLines?: number;
  /** Only records at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

function integer(query: URLSearchParams, name: string, min: number): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new BadRequestError(`invalid ${name} ${JSON.stringify(text)}: must be an integer`);
  if (value < min) throw new BadRequestError(`${name}: Invalid value: ${value}: must be greater than ${min === 0 ? 'or equal to 0' : min - 1}`);
  return value;
}

export function parseLogOptions(query: URLSearchParams, nowMs = Date.now()): LogOptions {
  const options: LogOptions = { follow: flag(query, 'follow'), previous: flag(query, 'previous'), timestamps: flag(query, 'timestamps') };
  const tailLines = integer(query, 'tailLines', 0);
  if (tailLines !== undefined) options.tailLines = tailLines;
  const limitBytes = integer(query, 'limitBytes', 1);
  if (limitBytes !== undefined) options.limitBytes = limitBytes;
  const sinceSeconds = integer(query, 'sinceSeconds', 1);
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new BadRequestError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (sinceSeconds !== undefined) options.sinceMs = nowMs - sinceSeconds * 1000;
  if (sinceTime) {
    const ms = Date.parse(sinceTime);
    if (Number.isNaN(ms)) throw new BadRequestError(`invalid sinceTime ${JSON.stringify(sinceTime)}: must be an RFC 3339 time`);
    options.sinceMs = ms;
  }
  return options;
}
