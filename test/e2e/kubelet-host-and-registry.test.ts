// The node agent with the host's namespaces (hostNetwork, hostPID, hostIPC) and with images from a
// private registry (imagePullSecrets, the service account's pull secrets), driven by the real
// kubectl on real containers and a real docker-registry with basic auth on loopback.
import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ImageStore } from '../../src/runtime/images/image-store.js';
import { pushImage } from '../../src/runtime/images/registry/push.js';
import { startTestRegistry, type TestRegistry } from '../../src/runtime/images/registry/test-registry.js';
import { agentTestEnv, cleanUpAgentCluster, importBusybox } from './agent-cluster.js';
import { eventually, startCluster, type TestCluster } from './harness.js';

const isRoot = process.getuid?.() === 0;
const env = agentTestEnv('k8ts-host-registry-e2e-');
let cluster: TestCluster | undefined;
let registry: TestRegistry | undefined;
let privateImage = '';

const pod = async (name: string): Promise<any> => JSON.parse(await cluster!.ok(['get', 'pod', name, '-o', 'json']));
const running = (name: string) => eventually(`${name} Running`, async () => ((await pod(name)).status?.phase === 'Running' ? true : undefined), 60_000);
const manifest = (name: string, spec: object): string =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 1, ...spec } });
const sleeper = { name: 'c', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] };

describe('kubelet: host namespaces and private registries', { skip: !isRoot && 'needs root' }, () => {
  before(async () => {
    await importBusybox(env);
    registry = await startTestRegistry({ kind: 'basic', users: { alice: 's3cret' } });
    privateImage = `${registry.host}/team/busybox:v1`;
    const store = new ImageStore(join(env.dataDir, 'runtime', 'images'));
    await store.init();
    await pushImage(store, 'busybox', privateImage, { auth: { username: 'alice', password: 's3cret' } });
    cluster = await startCluster({ dataDir: env.dataDir, agent: true, extraArgs: ['--pod-cidr', env.podCidr] });
  });

  after(async () => {
    await cleanUpAgentCluster(env, cluster);
    await registry?.stop();
  });

  test('hostNetwork, hostPID and hostIPC pods share the node’s namespaces; others do not', async () => {
    await cluster!.ok(['apply', '-f', '-'], { input: manifest('on-host', { hostNetwork: true, hostPID: true, hostIPC: true, containers: [sleeper] }) });
    await cluster!.ok(['apply', '-f', '-'], { input: manifest('in-pod', { containers: [sleeper] }) });
    await running('on-host');
    await running('in-pod');
    // The test image's busybox has ls but no readlink applet: "… /proc/self/ns/net -> net:[4026531840]".
    const namespaceOf = async (name: string, kind: string): Promise<string> => /-> (\S+)/.exec(await cluster!.ok(['exec', name, '--', 'ls', '-l', `/proc/self/ns/${kind}`]))?.[1] ?? '';
    for (const kind of ['net', 'pid', 'ipc']) {
      const host = readlinkSync(`/proc/self/ns/${kind}`);
      assert.equal(await namespaceOf('on-host', kind), host, `${kind} of the host-namespace pod`);
      assert.notEqual(await namespaceOf('in-pod', kind), host, `${kind} of the ordinary pod`);
    }
    // The host's processes, this test's included, are visible with hostPID.
    assert.equal((await cluster!.kubectl(['exec', 'on-host', '--', 'ls', '-d', `/proc/${process.pid}`])).code, 0);
    assert.notEqual((await cluster!.kubectl(['exec', 'in-pod', '--', 'ls', '-d', `/proc/${process.pid}`])).code, 0);
    const onHost = await pod('on-host');
    assert.equal(onHost.status.podIP, onHost.status.hostIP, 'a hostNetwork pod has the node’s IP');
    await cluster!.ok(['delete', 'pod', 'on-host', 'in-pod', '--wait=false']);
  });

  test('a private image needs its pull secret: ErrImagePull without, Running with imagePullSecrets', async () => {
    const container = { name: 'c', image: privateImage, imagePullPolicy: 'Always', command: ['sleep', '3600'] };
    await cluster!.ok(['apply', '-f', '-'], { input: manifest('no-secret', { containers: [container] }) });
    const refused = await eventually(
      'no-secret ErrImagePull',
      async () => {
        const waiting = (await pod('no-secret')).status?.containerStatuses?.[0]?.state?.waiting;
        return waiting?.reason === 'ErrImagePull' || waiting?.reason === 'ImagePullBackOff' ? waiting : undefined;
      },
      60_000,
    );
    assert.match(refused.message ?? '', /authentication required|denied|unauthorized/i);

    await cluster!.ok(['create', 'secret', 'docker-registry', 'regcred', `--docker-server=${registry!.host}`, '--docker-username=alice', '--docker-password=s3cret']);
    await cluster!.ok(['apply', '-f', '-'], { input: manifest('with-secret', { imagePullSecrets: [{ name: 'regcred' }], containers: [container] }) });
    await running('with-secret');
    const events = await cluster!.ok(['get', 'events', '--field-selector', 'involvedObject.name=with-secret', '-o', 'custom-columns=R:.reason,M:.message', '--no-headers']);
    assert.match(events, new RegExp(`Pulled\\s+Successfully pulled image "${privateImage.replace(/[.]/g, '\\.')}" in [\\d.]+s`));
    await cluster!.ok(['delete', 'pod', 'no-secret', 'with-secret', '--wait=false']);
  });

  test('a pod without pull secrets of its own uses its service account’s; a missing one is warned about', async () => {
    await cluster!.ok(['create', 'serviceaccount', 'puller']);
    await cluster!.ok(['patch', 'serviceaccount', 'puller', '-p', JSON.stringify({ imagePullSecrets: [{ name: 'regcred' }] })]);
    const container = { name: 'c', image: privateImage, imagePullPolicy: 'Always', command: ['sleep', '3600'] };
    await cluster!.ok(['apply', '-f', '-'], { input: manifest('via-account', { serviceAccountName: 'puller', containers: [container] }) });
    await running('via-account');
    await cluster!.ok(['apply', '-f', '-'], { input: manifest('missing-secret', { imagePullSecrets: [{ name: 'nope' }], containers: [container] }) });
    await cluster!.waitFor(
      ['get', 'events', '--field-selector', 'involvedObject.name=missing-secret', '-o', 'custom-columns=R:.reason,M:.message', '--no-headers'],
      /FailedToRetrieveImagePullSecret\s+Unable to retrieve some image pull secrets \(nope\); attempting to pull the image may not succeed\./,
      60_000,
    );
    await cluster!.ok(['delete', 'pod', 'via-account', 'missing-secret', '--wait=false']);
  });
});
