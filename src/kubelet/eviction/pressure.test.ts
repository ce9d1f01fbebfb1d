import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../controllers/common/clock.js';
import { PressureConditions } from './pressure.js';
import { parseEvictionHard } from './thresholds.js';

const [memory, nodefs] = parseEvictionHard('memory.available<100Mi,nodefs.available<10%');

test('a met threshold turns its condition on at once', () => {
  const pressure = new PressureConditions(new FakeClock(), 300_000);
  assert.deepEqual(pressure.observe([memory!]), ['MemoryPressure']);
  assert.ok(pressure.has('MemoryPressure'));
  assert.deepEqual(pressure.observe([nodefs!, memory!]), ['MemoryPressure', 'DiskPressure']);
});

test('a condition stays on for the transition period after its threshold was last met', () => {
  const clock = new FakeClock();
  const pressure = new PressureConditions(clock, 300_000);
  pressure.observe([memory!]);
  clock.step(299_000);
  assert.deepEqual(pressure.observe([]), ['MemoryPressure']);
  clock.step(1_000);
  assert.deepEqual(pressure.observe([]), []);
  assert.ok(!pressure.has('MemoryPressure'));
});

test('meeting the threshold again restarts the transition period', () => {
  const clock = new FakeClock();
  const pressure = new PressureConditions(clock, 60_000);
  pressure.observe([memory!]);
  clock.step(50_000);
  pressure.observe([memory!]);
  clock.step(50_000);
  assert.deepEqual(pressure.observe([]), ['MemoryPressure']);
  clock.step(10_000);
  assert.deepEqual(pressure.observe([]), []);
});
