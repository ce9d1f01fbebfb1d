// Cell formatting helpers that reproduce the exact strings upstream's printers emit:
// Go's duration.HumanDuration, label/selector rendering, "<none>"/"<unknown>" conventions.
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's integer division on a duration: truncates toward zero. */
function whole(ms: number, unit: number): number {
  return Math.trunc(ms / unit);
}

/**
 * Go's k8s.io/apimachinery duration.HumanDuration. Precision shrinks as durations grow
 * ("45s", "5m2s", "15m", "3h4m", "20h", "2d3h", "30d", "2y45d", "9y"); up to 2s in
 * the future is treated as "0s" to absorb clock skew.
 */
export function humanDuration(ms: number): string {
  const seconds = whole(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = whole(ms, MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = whole(ms, HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/** Parses an RFC3339 (or MicroTime) timestamp; undefined for absent, invalid or Go's zero time. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  // Go's zero time (0001-01-01T00:00:00Z) counts as unset, like metav1.Time.IsZero.
  if (ms === GO_ZERO_TIME_MS) return undefined;
  return ms;
}

/** Upstream translateTimestampSince: "<unknown>" for an unset time, else the age. */
export function translateTimestampSince(timestamp: unknown, now: Date): string {
  const ms = parseTimestamp(timestamp);
  if (ms === undefined) return '<unknown>';
  return humanDuration(now.getTime() - ms);
}

/** The creation-time AGE cell every printer ends with. */
export function age(obj: { metadata?: { creationTimestamp?: unknown } }, now: Date): string {
  return translateTimestampSince(obj.metadata?.creationTimestamp, now);
}

/** labels.FormatLabels: "k1=v1,k2=v2" with keys sorted, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | null | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',');
}

function requirementString(key: string, operator: string, values: readonly string[]): string {
  const sorted = [...values].sort().join(',');
  switch (operator) {
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    case 'In':
      return `${key} in (${sorted})`;
    case 'NotIn':
      return `${key} notin (${sorted})`;
    case 'Equals':
      return `${key}=${sorted}`;
    default:
      return `${key}?${operator}`;
  }
}

/**
 * The selector string of metav1.LabelSelectorAsSelector(sel).String(): matchLabels and
 * matchExpressions merged, ordered by key, values sorted — "app=web,tier in (a,b)".
 * Nil and empty selectors both render as "" (match nothing / everything).
 */
export function labelSelectorString(selector: LabelSelector | null | undefined): string {
  if (!selector) return '';
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, text: requirementString(key, 'Equals', [value]) });
  }
  for (const expr of selector.matchExpressions ?? []) {
    requirements.push({ key: expr.key, text: requirementString(expr.key, expr.operator, expr.values ?? []) });
  }
  // Go's sort.Sort by key; a stable sort is the faithful reading for distinct keys.
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: the selector string, or "<none>" when it is empty. */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  const text = labelSelectorString(selector);
  return text === '' ? '<none>' : text;
}

/**
 * The Go-generated String() of a *metav1.LabelSelector (upstream prints it for
 * admission policy bindings that pick params by selector).
 */
export function goLabelSelectorStruct(selector: LabelSelector): string {
  const labels = Object.keys(selector.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${selector.matchLabels?.[k] ?? ''},`)
    .join('');
  const exprs = (selector.matchExpressions ?? [])
    .map((e: LabelSelectorRequirement) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

/** layoutContainerCells: container names and images, each comma-joined. */
export function containerCells(containers: readonly { name?: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** Upstream's "a,b,c + N more..." list shortening (listWithMoreString), "<unset>" when empty. */
export function listWithMore(items: readonly string[], max = 3): string {
  if (items.length === 0) return '<unset>';
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}

/** printBoolPtr: "True" / "False" / "<unset>". */
export function boolPtr(value: boolean | null | undefined): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}

/** net.JoinHostPort: IPv6 literals are bracketed. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** IntOrString.String(). */
export function intOrString(value: number | string | null | undefined): string {
  if (value === undefined || value === null) return '';
  return String(value);
}

/**
 * resource.Quantity.String(). Quantities travel as strings already in canonical form
 * once the API server has stored them; an absent quantity is Go's zero value, "0".
 */
export function quantity(value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return '0';
}

/** helper.GetAccessModesAsString: fixed order RWO,ROX,RWX,RWOP, duplicates dropped. */
export function accessModes(modes: readonly string[] | undefined): string {
  const have = new Set(modes ?? []);
  const out: string[] = [];
  if (have.has('ReadWriteOnce')) out.push('RWO');
  if (have.has('ReadOnlyMany')) out.push('ROX');
  if (have.has('ReadWriteMany')) out.push('RWX');
  if (have.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/**
 * Load-balancer ingress points: IP, else hostname, deduplicated and sorted. The server
 * prints wide, so upstream's 16-character clipping never applies to Table output.
 */
export function loadBalancerIngress(ingress: readonly { ip?: string; hostname?: string }[] | undefined): string {
  const points = new Set<string>();
  for (const point of ingress ?? []) {
    if (point.ip) points.add(point.ip);
    else if (point.hostname) points.add(point.hostname);
  }
  return [...points].sort().join(',');
}
