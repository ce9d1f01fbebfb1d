// How `k8ts image` shows images, as the Docker CLI does: familiar names ("busybox" for
// docker.io/library/busybox), "2 hours ago", sizes in decimal units, tab-aligned columns.
import { humanSize } from '../runtime/images/registry/progress.js';

export { humanSize };

/** docker.io/library/busybox:latest → busybox:latest; docker.io/foo/bar → foo/bar; others unchanged. */
export function familiarName(name: string): string {
  return name.replace(/^docker\.io\/(library\/)?/, '');
}

/** Splits "repo:tag" or "repo@digest" into the REPOSITORY and TAG columns. */
export function repositoryAndTag(name: string): [string, string] {
  const familiar = familiarName(name);
  const at = familiar.indexOf('@');
  if (at >= 0) return [familiar.slice(0, at), '<none>'];
  const colon = familiar.lastIndexOf(':');
  if (colon > familiar.lastIndexOf('/')) return [familiar.slice(0, colon), familiar.slice(colon + 1)];
  return [familiar, '<none>'];
}

/** go-units' HumanDuration, as "docker images" prints CREATED. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.round(ms / 3_600_000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

/** Columns separated by at least three spaces, as Go's tabwriter with Docker's padding. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd()).join('\n') + '\n';
}
