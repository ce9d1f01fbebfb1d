import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadDefaultConfig, loadInClusterConfig, loadKubeconfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-client-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const kubeconfig = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('a kubeconfig gives the current context: server, inline CA and client certificate, namespace', () => {
  const path = kubeconfig(
    'inline.yaml',
    `apiVersion: v1
kind: Config
current-context: admin
clusters:
- name: k8ts
  cluster: { server: "https://127.0.0.1:6443", certificate-authority-data: ${Buffer.from('CA').toString('base64')} }
users:
- name: admin
  user: { client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key-data: ${Buffer.from('KEY').toString('base64')} }
contexts:
- name: other
  context: { cluster: k8ts, user: nobody }
- name: admin
  context: { cluster: k8ts, user: admin, namespace: team }
`,
  );
  const config = loadKubeconfig(path);
  assert.equal(config.server, 'https://127.0.0.1:6443');
  assert.equal(config.ca?.toString(), 'CA');
  assert.equal(config.cert?.toString(), 'CERT');
  assert.equal(config.key?.toString(), 'KEY');
  assert.equal(config.namespace, 'team');
  assert.equal(loadKubeconfig(path, { context: 'other' }).cert, undefined);
  assert.throws(() => loadKubeconfig(path, { context: 'missing' }), /context "missing" not found/);
});

test('kubeconfig files and token files resolve relative to the kubeconfig, and insecure-skip-tls-verify is kept', () => {
  writeFileSync(join(dir, 'ca.crt'), 'FILE-CA');
  const path = kubeconfig(
    'files.yaml',
    `current-context: c
clusters: [{ name: k, cluster: { server: "https://h:1", certificate-authority: ca.crt, insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: abc, tokenFile: token } }]
contexts: [{ name: c, context: { cluster: k, user: u } }]
`,
  );
  const config = loadKubeconfig(path);
  assert.equal(config.ca?.toString(), 'FILE-CA');
  assert.equal(config.bearerToken, 'abc');
  assert.equal(config.bearerTokenFile, join(dir, 'token'));
  assert.equal(config.insecureSkipTlsVerify, true);
  assert.equal(config.namespace, 'default');
});

test('in-cluster config reads the service account files and the service host and port', () => {
  const accountDir = mkdtempSync(join(dir, 'sa-'));
  writeFileSync(join(accountDir, 'token'), 'sa-token\n');
  writeFileSync(join(accountDir, 'ca.crt'), 'SA-CA');
  writeFileSync(join(accountDir, 'namespace'), 'kube-system');
  const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
  const config = loadInClusterConfig({ env, dir: accountDir });
  assert.equal(config.server, 'https://[fd00::1]:443');
  assert.equal(config.bearerToken, 'sa-token');
  assert.equal(config.ca?.toString(), 'SA-CA');
  assert.equal(config.namespace, 'kube-system');
  assert.throws(() => loadInClusterConfig({ env: {}, dir: accountDir }), /KUBERNETES_SERVICE_HOST/);
});

test('the default config is $KUBECONFIG outside a pod', () => {
  const path = kubeconfig('env.yaml', `current-context: c\nclusters: [{ name: k, cluster: { server: "https://e:2" } }]\ncontexts: [{ name: c, context: { cluster: k } }]\n`);
  assert.equal(loadDefaultConfig({ KUBECONFIG: `${path}:/elsewhere` }).server, 'https://e:2');
});
