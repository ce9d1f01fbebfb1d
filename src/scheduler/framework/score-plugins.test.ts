// runScorePlugins keeps scores as numbers in reused per-plugin buffers; what it reports must be
// what the plain per-node { name, score } computation reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newDefaultFramework } from '../registry.js';
import { scheduleOne, selectHost, selectHostIndex } from '../schedule-one.js';
import { makeNode, makePod } from '../testing.js';
import { CycleState } from './cycle-state.js';
import { Framework, type PluginFactory } from './framework.js';
import type { ScorePlugin } from './interface.js';
import type { NodeInfo } from './node-info.js';
import { MAX_REUSED_SCORE_BUFFER_NODES, ScoreBuffers } from './score-buffers.js';
import { Snapshot } from './snapshot.js';
import { Status } from './status.js';

/** A score plugin with only `score` (the framework loops over the nodes itself). */
const perNodePlugin = (name: string, score: (n: NodeInfo) => number, normalize?: (scores: number[]) => void): PluginFactory => () =>
  ({
    name,
    score: (_s, _p, n) => score(n),
    ...(normalize ? { normalizeScore: (_s, _p, scores) => (normalize(scores), Status.success()) } : {}),
  }) satisfies ScorePlugin;

function framework(factories: Record<string, PluginFactory>, weights: Record<string, number>): Framework {
  return Framework.create(new Map(Object.entries(factories)), {
    schedulerName: 's',
    plugins: { score: { enabled: Object.keys(factories).map((name) => ({ name, weight: weights[name] })) } },
  });
}

const snapshot = Snapshot.from({ nodes: ['a', 'b', 'c', 'd'].map((n, i) => makeNode(n, { cpu: String(i + 1) })) });

test('totals are the weighted sums of normalised scores, and byPlugin lists them by node', () => {
  const fw = framework(
    {
      Cpu: perNodePlugin('Cpu', (n) => n.allocatable.milliCpu / 100),
      Halved: perNodePlugin('Halved', (n) => n.allocatable.milliCpu, (scores) => scores.forEach((s, i) => (scores[i] = Math.trunc(s / 80)))),
    },
    { Cpu: 2, Halved: 3 },
  );
  const result = fw.runScorePlugins(new CycleState(snapshot), makePod('p'), snapshot.nodeInfoList);
  assert.ok(!(result instanceof Status));
  assert.deepEqual(result.totals, [10 * 2 + 12 * 3, 20 * 2 + 25 * 3, 30 * 2 + 37 * 3, 40 * 2 + 50 * 3]);
  assert.deepEqual(Object.fromEntries(result.byPlugin), {
    Cpu: [{ name: 'a', score: 10 }, { name: 'b', score: 20 }, { name: 'c', score: 30 }, { name: 'd', score: 40 }],
    Halved: [{ name: 'a', score: 12 }, { name: 'b', score: 25 }, { name: 'c', score: 37 }, { name: 'd', score: 50 }],
  });
});

test('a score out of range after normalising is an error naming the plugin, as upstream', () => {
  const fw = framework({ Big: perNodePlugin('Big', (n) => (n.name === 'c' ? 101 : 5)) }, {});
  const result = fw.runScorePlugins(new CycleState(snapshot), makePod('p'), snapshot.nodeInfoList);
  assert.ok(result instanceof Status);
  assert.equal(result.plugin, 'Big');
  assert.equal(result.message(), 'plugin "Big" returns an invalid score 101, it should in the range of [0, 100] after normalizing');
});

test('byPlugin is read from reused buffers: before the next cycle, or never', () => {
  const fw = newDefaultFramework();
  const pod = makePod('p', { cpu: '500m' });
  const run = () => {
    const state = new CycleState(snapshot);
    fw.runPreFilterPlugins(state, pod);
    fw.runPreScorePlugins(state, pod, snapshot.nodeInfoList);
    const result = fw.runScorePlugins(state, pod, snapshot.nodeInfoList);
    assert.ok(!(result instanceof Status));
    return result;
  };
  const read = run();
  const kept = read.byPlugin;
  const unread = run();
  const later = run();
  // Read in time: kept as it was.
  assert.equal(read.byPlugin, kept);
  assert.deepEqual(Object.fromEntries(kept), Object.fromEntries(later.byPlugin));
  assert.throws(() => unread.byPlugin, /read after a later runScorePlugins/);
  // Totals are the result's own.
  assert.notEqual(read.totals, later.totals);
  assert.deepEqual(read.totals, later.totals);
});

test('ScoreBuffers reuses one array per plugin up to its limit, and hands out fresh ones beyond', () => {
  const buffers = new ScoreBuffers();
  const cycle = buffers.startCycle();
  const first = buffers.get(0, 500);
  assert.equal(first.length, 500);
  assert.notEqual(buffers.get(1, 500), first);
  assert.ok(buffers.isCurrent(cycle));
  assert.equal(buffers.get(0, 300), first);
  assert.equal(first.length, 300);
  const huge = buffers.get(0, MAX_REUSED_SCORE_BUFFER_NODES + 1);
  assert.equal(huge.length, MAX_REUSED_SCORE_BUFFER_NODES + 1);
  assert.notEqual(buffers.get(0, MAX_REUSED_SCORE_BUFFER_NODES + 1), huge);
  buffers.startCycle();
  assert.ok(!buffers.isCurrent(cycle));
});

/** Upstream's selectHost as it was written over { name, score } objects. */
function referenceSelectHost(scores: readonly { name: string; score: number }[], random: () => number): string {
  let best = scores[0]!;
  let tied = 1;
  for (const s of scores.slice(1)) {
    if (s.score > best.score) {
      best = s;
      tied = 1;
    } else if (s.score === best.score) {
      tied++;
      if (Math.floor(random() * tied) === 0) best = s;
    }
  }
  return best.name;
}

test('selectHost over numbers picks the node the reference picks, drawing the same random numbers', () => {
  const seeded = (seed: number) => {
    let s = seed;
    return () => (s = (s * 16807) % 2147483647) / 2147483647;
  };
  for (let round = 1; round <= 300; round++) {
    const totals = Array.from({ length: 1 + (round % 40) }, (_, i) => ((i * 7 + round) % 5) * 10);
    const scores = totals.map((score, i) => ({ name: `n${i}`, score }));
    const draws = { reference: 0, byIndex: 0, byName: 0 };
    const counted = (key: keyof typeof draws) => {
      const random = seeded(round);
      return () => (draws[key]++, random());
    };
    const expected = referenceSelectHost(scores, counted('reference'));
    assert.equal(`n${selectHostIndex(totals, counted('byIndex'))}`, expected);
    assert.equal(selectHost(scores, counted('byName')), expected);
    assert.deepEqual([draws.byIndex, draws.byName], [draws.reference, draws.reference]);
  }
  assert.throws(() => selectHostIndex([], Math.random), /empty priority list/);
});

test("scheduleOne's scores list each scored node's total by name", () => {
  const fw = newDefaultFramework();
  const pod = makePod('p', { cpu: '500m' });
  const result = scheduleOne(fw, snapshot, pod, { random: () => 0 });
  assert.ok('node' in result);
  const state = new CycleState(snapshot);
  fw.runPreFilterPlugins(state, pod);
  fw.runPreScorePlugins(state, pod, snapshot.nodeInfoList);
  const scored = fw.runScorePlugins(state, pod, snapshot.nodeInfoList);
  assert.ok(!(scored instanceof Status));
  assert.deepEqual(result.scores, snapshot.nodeInfoList.map((n, i) => ({ name: n.name, score: scored.totals[i] })));
  assert.equal(result.node, 'd');
});
