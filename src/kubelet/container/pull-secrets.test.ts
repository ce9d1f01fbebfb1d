import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { podPullCredentials, type PullSecretSource } from './pull-secrets.js';

const dockerConfigJson = (server: string, user: string, password: string): Secret => ({
  type: 'kubernetes.io/dockerconfigjson',
  data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [server]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } })).toString('base64') },
});

function source(secrets: Record<string, Secret>, accounts: Record<string, ServiceAccount> = {}) {
  const warnings: string[] = [];
  const src: PullSecretSource = {
    secret: async (_ns, name) => secrets[name],
    serviceAccount: async (_ns, name) => accounts[name],
    warn: (message) => void warnings.push(message),
  };
  return { src, warnings };
}

const pod = (spec: Partial<NonNullable<Pod['spec']>>): Pod => ({ metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [], ...spec } });

test('the pod’s dockerconfigjson secrets give credentials per registry, the first match winning', async () => {
  const { src, warnings } = source({ a: dockerConfigJson('registry.example:5000', 'alice', 'one'), b: dockerConfigJson('registry.example:5000', 'bob', 'two'), c: dockerConfigJson('https://ghcr.io', 'carol', 'three') });
  const lookup = await podPullCredentials(pod({ imagePullSecrets: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }), src);
  assert.deepEqual(lookup?.('registry.example:5000', 'team/app'), { username: 'alice', password: 'one' });
  assert.deepEqual(lookup?.('ghcr.io', 'x/y'), { username: 'carol', password: 'three' });
  assert.equal(lookup?.('docker.io', 'library/busybox'), undefined);
  assert.deepEqual(warnings, []);
});

test('legacy dockercfg secrets are read too', async () => {
  const legacy: Secret = { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': Buffer.from(JSON.stringify({ 'old.example': { username: 'u', password: 'p' } })).toString('base64') } };
  const lookup = await podPullCredentials(pod({ imagePullSecrets: [{ name: 'legacy' }] }), source({ legacy }).src);
  assert.deepEqual(lookup?.('old.example', ''), { username: 'u', password: 'p' });
});

test('without secrets of its own the pod uses its service account’s, as the ServiceAccount admission would copy them', async () => {
  const { src } = source({ reg: dockerConfigJson('r.example', 'sa', 'pw') }, { builder: { imagePullSecrets: [{ name: 'reg' }] } });
  const lookup = await podPullCredentials(pod({ serviceAccountName: 'builder' }), src);
  assert.deepEqual(lookup?.('r.example', 'a'), { username: 'sa', password: 'pw' });
  assert.equal(await podPullCredentials(pod({ serviceAccountName: 'nobody' }), src), undefined);
});

test('a missing secret is reported as upstream’s warning and the pull goes on without it', async () => {
  const { src, warnings } = source({});
  assert.equal(await podPullCredentials(pod({ imagePullSecrets: [{ name: 'gone' }, { name: 'also-gone' }] }), src), undefined);
  assert.deepEqual(warnings, ['Unable to retrieve some image pull secrets (gone, also-gone); attempting to pull the image may not succeed.']);
});
