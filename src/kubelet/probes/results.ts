// A probe's result as upstream's prober worker keeps it: a run of equal outcomes must reach
// successThreshold / failureThreshold before the reported result flips. Pure, so thresholds and
// initial delays are tested without containers or timers.
import type { Probe } from 'kubernetes-types/core/v1.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type Outcome = 'success' | 'failure' | 'unknown';

/** Upstream's initial results: not ready until proven, alive until proven dead, startup unknown. */
export function initialResult(kind: ProbeKind): Outcome {
  return kind === 'readiness' ? 'failure' : kind === 'liveness' ? 'success' : 'unknown';
}

/** "Liveness", as upstream's events spell the kind. */
export function kindTitle(kind: ProbeKind): string {
  return kind[0]!.toUpperCase() + kind.slice(1);
}

export class ProbeResults {
  result: Outcome;
  private last: Outcome = 'unknown';
  private run = 0;
  /** A liveness or startup failure holds the result until the container is replaced. */
  onHold = false;

  constructor(readonly kind: ProbeKind, private readonly probe: Probe) {
    this.result = initialResult(kind);
  }

  /** Whether the probe is due: not before initialDelaySeconds after the container started. */
  due(containerStartedMs: number, nowMs: number): boolean {
    return !this.onHold && nowMs - containerStartedMs >= (this.probe.initialDelaySeconds ?? 0) * 1000;
  }

  /** Records one outcome; returns true when the reported result changed. */
  record(outcome: Exclude<Outcome, 'unknown'>): boolean {
    this.run = outcome === this.last ? this.run + 1 : 1;
    this.last = outcome;
    const threshold = outcome === 'failure' ? this.probe.failureThreshold ?? 3 : this.probe.successThreshold ?? 1;
    if (this.run < threshold || this.result === outcome) return false;
    this.result = outcome;
    if (outcome === 'failure' && this.kind !== 'readiness') {
      this.onHold = true;
      this.run = 0;
    }
    return true;
  }
}
