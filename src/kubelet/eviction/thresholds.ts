// --eviction-hard as upstream parses it (ParseThresholdConfig, parseThresholdStatement): a
// comma-separated list of "signal<quantity" or "signal<percent%"; 0% and 100% are ignored, as
// upstream ignores them; errors read as upstream's.
import { parseQuantity, Quantity } from '../../api/units/quantity.js';
import { isSignal, type Observation, type Signal } from './signals.js';

export interface Threshold {
  signal: Signal;
  /** An absolute amount ("100Mi", "1000" inodes) … */
  quantity?: Quantity;
  /** … or a fraction of capacity, a float32 as upstream keeps it (0.1 for 10%). */
  percentage?: number;
}

/** Upstream's DefaultEvictionHard on Linux. */
export const defaultEvictionHard = 'memory.available<100Mi,nodefs.available<10%,imagefs.available<15%,nodefs.inodesFree<5%';

export class ThresholdError extends Error {}

/** cliflag's LangleSeparatedMapStringString, then parseThresholdStatement for each pair. */
export function parseEvictionHard(text: string): Threshold[] {
  const statements = new Map<string, string>();
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('<');
    if (at < 0) throw new ThresholdError(`malformed pair, expect string<string`);
    statements.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  const thresholds: Threshold[] = [];
  for (const [signal, value] of statements) {
    const threshold = parseThresholdStatement(signal, value);
    if (threshold) thresholds.push(threshold);
  }
  return thresholds;
}

export function parseThresholdStatement(signal: string, value: string): Threshold | undefined {
  if (!isSignal(signal)) throw new ThresholdError(`unsupported eviction signal ${signal}`);
  if (value.endsWith('%')) {
    if (value === '0%' || value === '100%') return undefined;
    const number = Number(value.slice(0, -1));
    if (value.slice(0, -1).trim() === '' || Number.isNaN(number)) throw new ThresholdError(`strconv.ParseFloat: parsing "${value.slice(0, -1)}": invalid syntax`);
    const percentage = Math.fround(Math.fround(number) / 100);
    if (percentage < 0) throw new ThresholdError(`eviction percentage threshold ${signal} must be >= 0%: ${value}`);
    if (percentage > 1) throw new ThresholdError(`eviction percentage threshold ${signal} must be <= 100%: ${value}`);
    return { signal, percentage };
  }
  let quantity: Quantity;
  try {
    quantity = parseQuantity(value);
  } catch (error) {
    throw new ThresholdError((error as Error).message);
  }
  if (quantity.sign() <= 0) throw new ThresholdError(`eviction threshold ${signal} must be positive: ${quantity.toString()}`);
  return { signal, quantity };
}

/** GetThresholdQuantity: the amount, or capacity × percentage truncated to a whole number. */
export function thresholdQuantity(threshold: Threshold, capacity: number): Quantity {
  if (threshold.quantity) return threshold.quantity;
  return Quantity.fromInt(Math.trunc(capacity * (threshold.percentage ?? 0)), 'BinarySI');
}

/** A hard threshold is met when what is available falls below its quantity. */
export function thresholdMet(threshold: Threshold, observation: Observation): boolean {
  return thresholdQuantity(threshold, observation.capacity).cmp(Quantity.fromInt(Math.trunc(observation.available))) > 0;
}

/** The flag's value as it was given, for --help and logs: "memory.available<100Mi,…". */
export function formatThresholds(thresholds: readonly Threshold[]): string {
  return thresholds.map((t) => `${t.signal}<${t.quantity ? t.quantity.toString() : `${Math.round((t.percentage ?? 0) * 1e4) / 100}%`}`).join(',');
}
