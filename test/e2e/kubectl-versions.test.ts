// The everyday commands with older and newer kubectl releases than the 1.32 the server
// matches: 1.27 (the oldest shipped here, outside the supported skew, which kubectl warns
// about) and 1.33 (one minor newer), plus 1.32 itself as the reference.
// One cluster for the file; each kubectl version works in its own namespace.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.destroy();
});

// Paused, so the deployment controller creates no ReplicaSet and writes no revision annotation:
// generation and the tables show only what kubectl changed.
const deployment = (ns: string, image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}, labels: {app: web}}
spec:
  paused: true
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: ${image}}
`;

const configMap = (ns: string, value: string): string => `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ${ns}}
data: {mode: ${value}}
`;

for (const minor of [27, 32, 33]) {
  describe(`kubectl 1.${minor}`, () => {
    const ns = `kubectl-1-${minor}`;
    const run = (args: string[], input?: string) => cluster.kubectl(args, input === undefined ? { minor } : { minor, input });
    const ok = (args: string[], input?: string) => cluster.ok(args, input === undefined ? { minor } : { minor, input });

    test('version reports its own client version and the 1.32 server', async () => {
      const result = await run(['version', '-o', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const version = JSON.parse(result.stdout) as { clientVersion: { minor: string }; serverVersion: { major: string; minor: string; gitVersion: string } };
      assert.equal(version.clientVersion.minor, String(minor));
      assert.equal(version.serverVersion.major, '1');
      assert.equal(version.serverVersion.minor, '32');
      assert.match(version.serverVersion.gitVersion, /^v1\.32\.\d+/);
      const plain = await run(['version']);
      if (minor === 27) {
        // 1.27 still printed the whole version.Info struct by default.
        assert.match(plain.stdout, /^Client Version: version\.Info\{Major:"1", Minor:"27", GitVersion:"v1\.27\.\d+"/m);
        assert.match(plain.stdout, /^Server Version: version\.Info\{Major:"1", Minor:"32", GitVersion:"v1\.32\.\d+/m);
      } else {
        assert.match(plain.stdout, new RegExp(`^Client Version: v1\\.${minor}\\.\\d+`, 'm'));
        assert.match(plain.stdout, /^Server Version: v1\.32\.\d+/m);
      }
      if (minor === 27) assert.match(plain.stderr, /WARNING: version difference between client \(1\.27\) and server \(1\.32\) exceeds the supported minor version skew of \+\/-1/);
      else assert.doesNotMatch(plain.stderr, /version difference/);
    });

    test('get namespaces and create one', async () => {
      assert.equal((await ok(['create', 'namespace', ns])).trim(), `namespace/${ns} created`);
      const out = await ok(['get', 'ns']);
      assert.match(out, /^NAME\s+STATUS\s+AGE$/m);
      for (const name of ['default', 'kube-system', ns]) assert.match(out, new RegExp(`^${name}\\s+Active\\s+\\d+[smhd]`, 'm'));
    });

    test('apply a Deployment and a ConfigMap, then apply changes', async () => {
      assert.equal((await ok(['apply', '-f', '-'], deployment(ns, 'nginx:1.25') + '---\n' + configMap(ns, 'fast'))).trim(), 'deployment.apps/web created\nconfigmap/settings created');
      assert.equal((await ok(['apply', '-f', '-'], deployment(ns, 'nginx:1.25') + '---\n' + configMap(ns, 'fast'))).trim(), 'deployment.apps/web unchanged\nconfigmap/settings unchanged');
      assert.equal((await ok(['apply', '-f', '-'], deployment(ns, 'nginx:1.26') + '---\n' + configMap(ns, 'slow'))).trim(), 'deployment.apps/web configured\nconfigmap/settings configured');
      assert.equal(await ok(['get', 'deploy', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.26');
      assert.equal(await ok(['get', 'cm', 'settings', '-n', ns, '-o', 'jsonpath={.data.mode}']), 'slow');
      const deploy = JSON.parse(await ok(['get', 'deploy', 'web', '-n', ns, '-o', 'json']));
      assert.equal(deploy.metadata.generation, 2);
      assert.equal(deploy.spec.replicas, 1);
      assert.equal(deploy.spec.strategy.type, 'RollingUpdate');
    });

    test('get -o wide', async () => {
      const out = await ok(['get', 'deployments', '-n', ns, '-o', 'wide']);
      assert.match(out, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
      assert.match(out, /^web\s+0\/1\s+0\s+0\s+\d+s\s+web\s+nginx:1\.26\s+app=web$/m);
      const cms = await ok(['get', 'configmaps', '-n', ns, '-o', 'wide']);
      assert.match(cms, /^NAME\s+DATA\s+AGE$/m);
      assert.match(cms, /^settings\s+1\s+\d+s$/m);
    });

    test('patch: strategic, merge and json', async () => {
      assert.equal((await ok(['patch', 'deployment', 'web', '-n', ns, '-p', '{"spec":{"replicas":2}}'])).trim(), 'deployment.apps/web patched');
      assert.equal((await ok(['patch', 'configmap', 'settings', '-n', ns, '--type=merge', '-p', '{"data":{"extra":"1"}}'])).trim(), 'configmap/settings patched');
      assert.equal((await ok(['patch', 'configmap', 'settings', '-n', ns, '--type=json', '-p', '[{"op":"remove","path":"/data/mode"}]'])).trim(), 'configmap/settings patched');
      assert.equal(await ok(['get', 'deploy', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas}']), '2');
      assert.deepEqual(JSON.parse(await ok(['get', 'cm', 'settings', '-n', ns, '-o', 'json'])).data, { extra: '1' });
      assert.equal((await ok(['patch', 'deployment', 'web', '-n', ns, '-p', '{"spec":{"replicas":2}}'])).trim(), 'deployment.apps/web patched (no change)');
    });

    test('explain', async () => {
      const out = await ok(['explain', 'deployment.spec.replicas']);
      assert.match(out, /^KIND:\s+Deployment$/m);
      assert.match(out, /^VERSION:\s+v1$/m);
      assert.match(out, /^FIELD:\s+replicas\s+<integer>$/m);
      assert.match(out, /Number of desired pods/);
    });

    test('delete', async () => {
      assert.equal((await ok(['delete', 'deployment', 'web', '-n', ns])).trim(), 'deployment.apps "web" deleted');
      assert.equal((await ok(['delete', '-f', '-'], configMap(ns, 'slow'))).trim(), 'configmap "settings" deleted');
      const gone = await run(['get', 'deploy,cm', '-n', ns, '-o', 'name']);
      assert.equal(gone.code, 0, gone.stderr);
      assert.doesNotMatch(gone.stdout, /deployment\.apps\/web|configmap\/settings/);
    });
  });
}
