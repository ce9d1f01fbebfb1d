import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { k8tsEntry, k8tsNodeFlags } from './node-flags.js';

test('the benchmarks start k8ts with the node flags and the bundle bin/k8ts uses', () => {
  // From bench/lib (sources) or dist/bench/lib (compiled), find the checkout's bin/k8ts.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!hasFile(dir, 'bin/k8ts')) dir = dirname(dir);
  const launcher = readFileSync(join(dir, 'bin/k8ts'), 'utf8');
  const exec = /^exec node (.*) "\$here\/\.\.\/dist\/bundle\/k8ts\.js" "\$@"$/m.exec(launcher);
  assert.ok(exec, 'bin/k8ts execs node with flags, then dist/bundle/k8ts.js');
  assert.deepEqual(exec[1]!.split(' '), [...k8tsNodeFlags]);
  assert.ok(k8tsEntry.endsWith('/bundle/k8ts.js'), k8tsEntry);
});

function hasFile(dir: string, path: string): boolean {
  try {
    readFileSync(join(dir, path));
    return true;
  } catch {
    if (dir === dirname(dir)) throw new Error('bin/k8ts not found above this test');
    return false;
  }
}
