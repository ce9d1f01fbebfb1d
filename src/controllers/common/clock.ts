// Controllers read time through a Clock so their sync logic is tested with a fake one
// (minReadySeconds, progress deadlines, back-off, cron schedules, grace periods).
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const realClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. */
export class FakeClock implements Clock {
  constructor(private current = Date.parse('2024-01-01T00:00:00Z')) {}

  now(): number {
    return this.current;
  }

  step(ms: number): void {
    this.current += ms;
  }

  set(ms: number): void {
    this.current = ms;
  }
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
