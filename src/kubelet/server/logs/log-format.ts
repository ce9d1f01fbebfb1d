// Turns CRI log records into what `kubectl logs` prints, as the kubelet's ReadLogs: the content,
// a newline after a full (F) record, the record's time in front when timestamps are asked for
// (only at the start of a line, not before the rest of a split one), records before `since`
// skipped, and output cut at limitBytes.
import { parseCriLogLine } from '../../../runtime/logs/cri-log.js';
import type { LogOptions } from './log-options.js';

/** Go's time.RFC3339Nano prints the fraction without trailing zeros. */
export function formatTimestamp(time: string): string {
  return time.replace(/\.(\d*?)0+(?=Z|[+-]\d\d:\d\d$)/, (_m, digits: string) => (digits ? `.${digits}` : ''));
}

/** Sub-millisecond digits do not matter for since; Date.parse copes with up to 9 fraction digits. */
function recordMs(time: string): number {
  return Date.parse(time);
}

export class LogFormatter {
  private atLineStart = true;
  private written = 0;

  constructor(private readonly options: Pick<LogOptions, 'timestamps' | 'sinceMs' | 'limitBytes'>) {}

  /** True once limitBytes is reached: the caller stops reading. */
  get done(): boolean {
    return this.options.limitBytes !== undefined && this.written >= this.options.limitBytes;
  }

  /** The output for one file line (without its newline); empty for skipped or malformed records. */
  format(line: string): Buffer {
    if (this.done) return Buffer.alloc(0);
    const record = parseCriLogLine(line);
    if (!record) return Buffer.alloc(0);
    if (this.options.sinceMs !== undefined && recordMs(record.time) < this.options.sinceMs) return Buffer.alloc(0);
    const prefix = this.options.timestamps && this.atLineStart ? `${formatTimestamp(record.time)} ` : '';
    this.atLineStart = !record.partial;
    let out = Buffer.from(`${prefix}${record.content}${record.partial ? '' : '\n'}`);
    if (this.options.limitBytes !== undefined) out = out.subarray(0, Math.max(0, this.options.limitBytes - this.written));
    this.written += out.length;
    return out;
  }
}
