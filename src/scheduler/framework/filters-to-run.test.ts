import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Registry } from './framework.js';
import { Framework } from './framework.js';
import { CycleState } from './cycle-state.js';
import type { FilterPlugin, PreFilterPlugin } from './interface.js';
import { Snapshot } from './snapshot.js';
import { Status } from './status.js';
import { makeNode, makePod } from '../testing.js';

function counting(name: string, skip: boolean, calls: string[]): PreFilterPlugin & FilterPlugin {
  return {
    name,
    preFilter: () => (skip ? Status.skip() : Status.success()),
    filter: () => {
      calls.push(name);
      return Status.success();
    },
  };
}

test('filters whose PreFilter answered Skip are not run, on every node and in a cloned state', () => {
  const calls: string[] = [];
  const registry: Registry = new Map([
    ['A', () => counting('A', false, calls)],
    ['B', () => counting('B', true, calls)],
    ['C', () => counting('C', false, calls)],
  ]);
  const fw = Framework.create(registry, { schedulerName: 's', plugins: { multiPoint: { enabled: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] } } });
  const snapshot = Snapshot.from({ nodes: [makeNode('n1'), makeNode('n2')] });
  const state = new CycleState(snapshot);
  const pod = makePod('p');
  assert.ok(fw.runPreFilterPlugins(state, pod).isSuccess());
  for (const nodeInfo of snapshot.nodeInfoList) assert.ok(fw.runFilterPlugins(state, pod, nodeInfo).isSuccess());
  assert.deepEqual(calls, ['A', 'C', 'A', 'C']);
  calls.length = 0;
  // A skip added later (as a clone's caller might) is honoured too.
  const copy = state.clone();
  copy.skipFilterPlugins.add('C');
  fw.runFilterPlugins(copy, pod, snapshot.get('n1')!);
  fw.runFilterPlugins(state, pod, snapshot.get('n1')!);
  assert.deepEqual(calls, ['A', 'A', 'C']);
});
