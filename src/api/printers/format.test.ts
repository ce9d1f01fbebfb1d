import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accessModes,
  formatLabelSelector,
  formatLabels,
  goLabelSelectorStruct,
  humanDuration,
  labelSelectorString,
  listWithMore,
  translateTimestampSince,
} from './format.js';
import { rfc3339 } from './default.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

test('humanDuration matches Go duration.HumanDuration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [-1500, '0s'], // up to 2s of clock skew counts as now
    [-2500, '<invalid>'],
    [999, '0s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [5 * m + 2 * s, '5m2s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 4 * m, '3h4m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [(2 * 365 + 45) * d, '2y45d'],
    [8 * 365 * d, '8y'],
    [20 * 365 * d, '20y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `humanDuration(${ms})`);
});

test('translateTimestampSince handles unset and zero times', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  assert.equal(translateTimestampSince(undefined, now), '<unknown>');
  assert.equal(translateTimestampSince(null, now), '<unknown>');
  assert.equal(translateTimestampSince('0001-01-01T00:00:00Z', now), '<unknown>');
  assert.equal(translateTimestampSince('2024-05-01T11:55:00Z', now), '5m');
  assert.equal(translateTimestampSince('2024-05-01T11:59:59.250000Z', now), '0s');
});

test('labels and selectors render like upstream', () => {
  assert.equal(formatLabels({ tier: 'web', app: 'shop' }), 'app=shop,tier=web');
  assert.equal(formatLabels({}), '<none>');
  assert.equal(formatLabels(undefined), '<none>');
  const selector = {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['b', 'a'] },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'zone', operator: 'Exists' },
    ],
  };
  assert.equal(labelSelectorString(selector), 'app=web,!canary,env notin (dev),tier in (a,b),zone');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector(undefined), '<none>');
  assert.equal(labelSelectorString({}), '');
  assert.equal(
    goLabelSelectorStruct({ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['x', 'y'] }] }),
    '&LabelSelector{MatchLabels:map[string]string{a: b,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],},},}',
  );
});

test('small list helpers', () => {
  assert.equal(listWithMore([]), '<unset>');
  assert.equal(listWithMore(['a', 'b']), 'a,b');
  assert.equal(listWithMore(['a', 'b', 'c', 'd', 'e']), 'a,b,c + 2 more...');
  assert.equal(accessModes(['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce']), 'RWO,RWX');
  assert.equal(rfc3339('2024-05-01T11:55:00.123456Z'), '2024-05-01T11:55:00Z');
  assert.equal(rfc3339(undefined), '0001-01-01T00:00:00Z');
});
