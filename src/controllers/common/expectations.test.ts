import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from './clock.js';
import { ControllerExpectations, expectationsTimeoutMs, UidTrackingExpectations } from './expectations.js';

test('expectations are satisfied once every expected creation is observed', () => {
  const expectations = new ControllerExpectations(new FakeClock());
  assert.equal(expectations.satisfiedExpectations('ns/rs'), true);
  expectations.expectCreations('ns/rs', 2);
  assert.equal(expectations.satisfiedExpectations('ns/rs'), false);
  expectations.creationObserved('ns/rs');
  assert.equal(expectations.satisfiedExpectations('ns/rs'), false);
  expectations.creationObserved('ns/rs');
  assert.equal(expectations.satisfiedExpectations('ns/rs'), true);
});

test('unmet expectations expire after the timeout', () => {
  const clock = new FakeClock();
  const expectations = new ControllerExpectations(clock);
  expectations.expectDeletions('ns/rs', 1);
  clock.step(expectationsTimeoutMs);
  assert.equal(expectations.satisfiedExpectations('ns/rs'), false);
  clock.step(1);
  assert.equal(expectations.satisfiedExpectations('ns/rs'), true);
});

test('a deletion seen twice counts once', () => {
  const expectations = new UidTrackingExpectations(new FakeClock());
  expectations.expectDeletionsOf('ns/rs', ['ns/a', 'ns/b']);
  expectations.deletionObservedOf('ns/rs', 'ns/a');
  expectations.deletionObservedOf('ns/rs', 'ns/a');
  assert.equal(expectations.satisfiedExpectations('ns/rs'), false);
  expectations.deletionObservedOf('ns/rs', 'ns/b');
  assert.equal(expectations.satisfiedExpectations('ns/rs'), true);
});
