// Progress of a pull or push, per blob, in Docker's words ("Pulling fs layer", "Downloading",
// "Download complete", "Already exists", "Pushing", "Pushed", "Layer already exists"), and a
// renderer that draws Docker's progress bars on a terminal and plain lines elsewhere.
export interface ProgressEvent {
  /** The short blob ID (12 hex digits), as Docker shows it. */
  id: string;
  status: string;
  currentBytes?: number;
  totalBytes?: number;
}

export function shortId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** Docker's size units: 1.23MB, 512B (decimal, three significant digits). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toPrecision(3))}${units[unit]}`;
}

/** Width of the bar between the brackets, as Docker's jsonmessage draws it. */
const barWidth = 50;

export function progressBar(current: number, total: number): string {
  const filled = total > 0 ? Math.min(barWidth, Math.floor((current / total) * barWidth)) : 0;
  const bar = filled > 0 ? `${'='.repeat(filled - 1)}>${' '.repeat(barWidth - filled)}` : ' '.repeat(barWidth);
  return `[${bar}]  ${humanSize(current)}/${humanSize(total)}`;
}

/** A bar is redrawn at most this often per blob (Docker's progress reader does the same). */
export const progressRedrawIntervalMs = 100;

/** Renders events: on a TTY one line per blob, redrawn in place; otherwise one line per status change. */
export class ProgressPrinter {
  private readonly lines: string[] = [];
  private readonly lastStatus = new Map<string, string>();
  private readonly lastDrawMs = new Map<string, number>();

  constructor(private readonly out: NodeJS.WriteStream, private readonly tty = out.isTTY === true, private readonly now: () => number = Date.now) {}

  handle = (event: ProgressEvent): void => {
    const unfinished = event.currentBytes !== undefined && event.totalBytes !== undefined && event.currentBytes < event.totalBytes;
    if (this.tty && unfinished && this.lastStatus.get(event.id) === event.status && this.now() - (this.lastDrawMs.get(event.id) ?? 0) < progressRedrawIntervalMs) return;
    this.lastDrawMs.set(event.id, this.now());
    const text = `${event.id}: ${event.status}${event.currentBytes !== undefined && event.totalBytes ? ` ${progressBar(event.currentBytes, event.totalBytes)}` : ''}`;
    if (!this.tty) {
      if (this.lastStatus.get(event.id) === event.status) return;
      this.lastStatus.set(event.id, event.status);
      this.out.write(`${event.id}: ${event.status}\n`);
      return;
    }
    this.lastStatus.set(event.id, event.status);
    const index = this.lines.findIndex((line) => line.startsWith(`${event.id}:`));
    if (index < 0) {
      this.lines.push(text);
      this.out.write(`${text}\n`);
      return;
    }
    this.lines[index] = text;
    const up = this.lines.length - index;
    // Up to the blob's line, rewrite it, back down.
    this.out.write(`\x1b[${up}A\r\x1b[2K${text}\x1b[${up}B\r`);
  };
}
