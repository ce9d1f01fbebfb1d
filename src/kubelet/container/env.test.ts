import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigMap, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { ContainerConfigError, containerEnv, type EnvSources } from './env.js';

const configMaps: Record<string, ConfigMap> = { settings: { data: { MODE: 'fast', 'bad key': 'x' } } };
const secrets: Record<string, Secret> = { creds: { data: { PASSWORD: Buffer.from('s3cret').toString('base64') } } };
const sources: EnvSources = {
  configMap: async (_ns, name) => configMaps[name],
  secret: async (_ns, name) => secrets[name],
  podIP: '10.244.0.5',
  podIPs: ['10.244.0.5'],
  hostIP: '192.168.1.2',
  nodeAllocatable: { cpu: '4', memory: '8Gi' },
};

const pod = (container: object): Pod => ({
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', labels: { app: 'web', tier: 'front' } },
  spec: { nodeName: 'node-a', serviceAccountName: 'default', containers: [{ name: 'c', ...container }] },
});

test('envFrom comes first, env values refer to earlier variables, and references resolve through the API', async () => {
  const p = pod({
    envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }],
    env: [
      { name: 'GREETING', value: 'hello $(POD_NAME)' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'FULL', value: '$(POD_NAME).$(NS)/$(CFG_MODE) $$(POD_NAME)' },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MODE' } } },
      { name: 'MISSING', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
    ],
  });
  const env = Object.fromEntries((await containerEnv(p, p.spec!.containers[0]!, sources)).map((e) => [e.key, e.value]));
  assert.deepEqual(env, {
    CFG_MODE: 'fast',
    GREETING: 'hello $(POD_NAME)',
    POD_NAME: 'web',
    FULL: 'web.$(NS)/fast $(POD_NAME)',
    NS: 'shop',
    APP: 'web',
    IP: '10.244.0.5',
    HOST: '192.168.1.2',
    PW: 's3cret',
    MODE: 'fast',
  });
});

test('resourceFieldRef divides by the divisor rounding up; an unset limit is node allocatable', async () => {
  const p = pod({
    resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } },
    env: [
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
      { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
    ],
  });
  const env = Object.fromEntries((await containerEnv(p, p.spec!.containers[0]!, sources)).map((e) => [e.key, e.value]));
  assert.deepEqual(env, { MEM: '64', CPU_REQ: '250', CPU_LIMIT: '4' });
});

test('a missing required reference is a config error with upstream message', async () => {
  const missingMap = pod({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] });
  await assert.rejects(containerEnv(missingMap, missingMap.spec!.containers[0]!, sources), new ContainerConfigError('configmap "nope" not found'));
  const missingKey = pod({ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'user' } } }] });
  await assert.rejects(containerEnv(missingKey, missingKey.spec!.containers[0]!, sources), new ContainerConfigError("couldn't find key user in Secret shop/creds"));
});
