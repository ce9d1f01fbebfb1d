import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import type { RestClient } from '../../client/index.js';
import { makePod } from '../testing.js';
import { spamRefillMs } from '../../client/index.js';
import { restSchedulerApi } from './api.js';

/** Records creates and patches per resource; creates answer the object back. */
function fakeClient() {
  const calls: string[] = [];
  const client = {
    resource: (ref: { resource: string }) => ({
      path: (ns: string, name: string, sub?: string) => `/api/v1/namespaces/${ns}/${ref.resource}/${name}${sub ? `/${sub}` : ''}`,
      async create(_ns: string, object: KubeObject) {
        calls.push(`create ${ref.resource} ${String(object.reason)}`);
        return object;
      },
      async patch(_ns: string, name: string, patch: { count?: number }) {
        calls.push(`patch ${ref.resource} ${name.split('.')[0]} count=${patch.count}`);
        return {};
      },
    }),
    async request(req: { method: string; path: string }) {
      calls.push(`${req.method} ${req.path}`);
      return {};
    },
  } as unknown as RestClient;
  return { client, calls };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('binding POSTs pods/<name>/binding', async () => {
  const { client, calls } = fakeClient();
  await restSchedulerApi(client).bind(makePod('web'), 'n1');
  assert.deepEqual(calls, ['POST /api/v1/namespaces/default/pods/web/binding']);
});

test('a repeated event bumps the count of the first instead of creating another', async () => {
  const { client, calls } = fakeClient();
  let now = 0;
  const api = restSchedulerApi(client, { nowMs: () => now });
  const event = { involvedObject: makePod('p'), type: 'Warning' as const, reason: 'FailedScheduling', message: '0/1 nodes are available', component: 'default-scheduler' };
  api.event(event);
  await settle();
  now = 10_000;
  api.event(event);
  await settle();
  api.event({ ...event, message: 'something else' });
  await settle();
  now = 10_000 + spamRefillMs;
  api.event(event);
  await settle();
  assert.deepEqual(calls, ['create events FailedScheduling', 'patch events p count=2', 'create events FailedScheduling', 'patch events p count=3']);
});
