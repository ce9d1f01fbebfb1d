import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ControllerDescriptor } from '../controllers/context.js';
import { selectControllers } from './controller-manager-command.js';

const known = ['namespace', 'replicaset', 'deployment'].map((name): ControllerDescriptor => ({ name, workers: 1, create: () => ({ run: async () => undefined, shutDown: () => undefined }) }));
const names = (spec: string) => selectControllers(spec, known).map((c) => c.name);

test('--controllers selects as upstream: *, names and -names', () => {
  assert.deepEqual(names('*'), ['namespace', 'replicaset', 'deployment']);
  assert.deepEqual(names('*,-replicaset'), ['namespace', 'deployment']);
  assert.deepEqual(names('deployment'), ['deployment']);
  assert.throws(() => names('*,-nope'), /"nope" is not in the list of known controllers/);
});
