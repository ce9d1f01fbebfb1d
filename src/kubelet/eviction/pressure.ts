// Which pressure conditions the node reports (upstream's nodeConditionsLastObservedAt and
// nodeConditionsObservedSince): a condition turns True as soon as one of its thresholds is met,
// and back to False only after none has been met for the pressure transition period, so a
// node hovering around a threshold does not flap between schedulable and not.
import type { Clock } from '../../controllers/common/clock.js';
import { signalToCondition, type PressureCondition } from './signals.js';
import type { Threshold } from './thresholds.js';

const order: readonly PressureCondition[] = ['MemoryPressure', 'DiskPressure', 'PIDPressure'];

export class PressureConditions {
  private readonly lastObservedAtMs = new Map<PressureCondition, number>();
  private current: PressureCondition[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly transitionPeriodMs: number,
  ) {}

  /** Records the thresholds met now; returns the conditions to report. */
  observe(met: readonly Threshold[]): PressureCondition[] {
    const now = this.clock.now();
    for (const threshold of met) this.lastObservedAtMs.set(signalToCondition[threshold.signal], now);
    this.current = order.filter((condition) => {
      const at = this.lastObservedAtMs.get(condition);
      return at !== undefined && now - at < this.transitionPeriodMs;
    });
    return this.current;
  }

  /** The conditions as of the last observation. */
  conditions(): readonly PressureCondition[] {
    return this.current;
  }

  has(condition: PressureCondition): boolean {
    return this.current.includes(condition);
  }
}
