import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { clusterSigningFlagValues } from './cluster-signing-flags.js';

test('no signing files means no csrsigning; both files and a duration are read', () => {
  assert.equal(clusterSigningFlagValues(new Map()), undefined);
  assert.throws(() => clusterSigningFlagValues(new Map([['cluster-signing-cert-file', 'ca.crt']])), /must be given together/);
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-signing-'));
  try {
    writeFileSync(join(dir, 'ca.crt'), 'CERT');
    writeFileSync(join(dir, 'ca.key'), 'KEY');
    const files = new Map([['cluster-signing-cert-file', join(dir, 'ca.crt')], ['cluster-signing-key-file', join(dir, 'ca.key')]]);
    assert.deepEqual(clusterSigningFlagValues(files), { certPem: 'CERT', keyPem: 'KEY' });
    assert.deepEqual(clusterSigningFlagValues(new Map([...files, ['cluster-signing-duration', '24h']])), { certPem: 'CERT', keyPem: 'KEY', durationMs: 86_400_000 });
    assert.throws(() => clusterSigningFlagValues(new Map([...files, ['cluster-signing-duration', 'soon']])), /invalid argument "soon" for "--cluster-signing-duration" flag/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
