import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RestClient } from '../../client/index.js';
import { FakeClock } from '../../controllers/common/clock.js';
import { TokenCache } from './tokens.js';

test('a token is reused until 80% of its life has passed, then requested again; per audience', async () => {
  const clock = new FakeClock();
  const paths: string[] = [];
  let issued = 0;
  const client = {
    resource: () => ({ path: (ns: string, name: string, sub: string) => `/api/v1/namespaces/${ns}/serviceaccounts/${name}/${sub}` }),
    transport: { request: async (req: { path: string }) => (paths.push(req.path), { status: { token: `t${++issued}`, expirationTimestamp: new Date(clock.now() + 1_000_000).toISOString() } }) },
  } as unknown as RestClient;
  const cache = new TokenCache(client, clock);
  const pod = { metadata: { uid: 'u', name: 'p', namespace: 'ns' }, spec: { serviceAccountName: 'robot', containers: [] } };
  assert.equal(await cache.token(pod, undefined, 1000), 't1');
  clock.step(799_000);
  assert.equal(await cache.token(pod, undefined, 1000), 't1');
  assert.equal(await cache.token(pod, 'vault', 1000), 't2', 'another audience, another token');
  clock.step(2_000);
  assert.equal(await cache.token(pod, undefined, 1000), 't3');
  assert.deepEqual(new Set(paths), new Set(['/api/v1/namespaces/ns/serviceaccounts/robot/token']));
});
