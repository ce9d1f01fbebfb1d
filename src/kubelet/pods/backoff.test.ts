import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../controllers/common/clock.js';
import { BackOff, goDuration } from './backoff.js';

test('the first crash restarts at once; later ones wait 10 s doubling to 5 min', () => {
  const clock = new FakeClock();
  const backOff = new BackOff(clock);
  assert.equal(backOff.isInBackOffSince('c', clock.now()), false, 'no entry: restart now');
  backOff.next('c');
  assert.equal(backOff.delayMs('c'), 10_000);
  const died = clock.now() + 1_000;
  clock.set(died);
  assert.equal(backOff.isInBackOffSince('c', died), true);
  clock.step(9_000);
  assert.equal(backOff.isInBackOffSince('c', died), true);
  clock.step(1_000);
  assert.equal(backOff.isInBackOffSince('c', died), false, 'after 10 s the restart may go');
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    backOff.next('c');
    delays.push(backOff.delayMs('c') / 1000);
  }
  assert.deepEqual(delays, [20, 40, 80, 160, 300, 300, 300, 300]);
});

test('a key quiet for twice the maximum starts over at 10 s', () => {
  const clock = new FakeClock();
  const backOff = new BackOff(clock);
  backOff.next('c');
  backOff.next('c');
  assert.equal(backOff.delayMs('c'), 20_000);
  clock.step(600_001);
  backOff.next('c');
  assert.equal(backOff.delayMs('c'), 10_000);
});

test('durations print as Go prints them', () => {
  assert.equal(goDuration(10_000), '10s');
  assert.equal(goDuration(80_000), '1m20s');
  assert.equal(goDuration(300_000), '5m0s');
});

test('image pulls back off from their last failure', () => {
  const clock = new FakeClock();
  const backOff = new BackOff(clock);
  assert.equal(backOff.isInBackOffSinceUpdate('img'), false);
  backOff.next('img');
  assert.equal(backOff.remainingSinceUpdateMs('img'), 10_000);
  clock.step(10_000);
  assert.equal(backOff.isInBackOffSinceUpdate('img'), false, 'the next pull may go');
  backOff.next('img');
  clock.step(5_000);
  assert.equal(backOff.remainingSinceUpdateMs('img'), 15_000);
});
