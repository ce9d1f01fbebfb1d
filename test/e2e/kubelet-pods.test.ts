// The node agent inside `k8ts server`, driven by the real kubectl: pods on real containers
// (runc or crun, CNI, cgroups), their status as upstream reports it, restarts and back-off,
// OOM kills, graceful deletion, and an agent restart that adopts running containers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { agentTestEnv, cleanUpAgentCluster, importBusybox, writeStaticWebManifest } from './agent-cluster.js';
import { eventually, freePort, startCluster, type TestCluster } from './harness.js';

const isRoot = process.getuid?.() === 0;
const env = agentTestEnv('k8ts-kubelet-e2e-');
const { dataDir, podCidr } = env;
let cluster: TestCluster;
let port: number;

async function start(): Promise<TestCluster> {
  return startCluster({ dataDir, port, agent: true, extraArgs: ['--pod-cidr', podCidr] });
}

async function pod(name: string): Promise<any> {
  return JSON.parse(await cluster.ok(['get', 'pod', name, '-o', 'json']));
}

function manifest(name: string, spec: object): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 2, ...spec } });
}

const busybox = { image: 'busybox', imagePullPolicy: 'IfNotPresent' };

describe('kubelet: pods on real containers', { skip: !isRoot && 'needs root' }, () => {
  before(async () => {
    await importBusybox(env);
    writeStaticWebManifest(env);
    port = await freePort();
    cluster = await start();
  });

  after(async () => {
    rmSync(join(dataDir, 'manifests'), { recursive: true, force: true });
    await cleanUpAgentCluster(env, cluster);
  });

  test('the agent registers a Ready node with upstream labels, capacity and nodeInfo', async () => {
    const node = await eventually('a Ready node', async () => {
      const nodes = JSON.parse(await cluster.ok(['get', 'nodes', '-o', 'json'])).items as any[];
      return nodes.find((n) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
    });
    assert.equal(node.metadata.labels['kubernetes.io/os'], 'linux');
    assert.equal(node.metadata.labels['node-role.kubernetes.io/control-plane'], '');
    assert.equal(node.spec.podCIDR, podCidr);
    assert.equal(node.status.capacity.pods, '110');
    assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.0');
    assert.match(node.status.nodeInfo.containerRuntimeVersion, /^(runc|crun):\/\//);
    assert.ok(node.status.images.some((i: any) => i.names.some((n: string) => n.includes('busybox'))));
    const lease = JSON.parse(await cluster.ok(['get', 'lease', '-n', 'kube-node-lease', node.metadata.name, '-o', 'json']));
    assert.equal(lease.spec.holderIdentity, node.metadata.name);
    // NAT out of the pod network is one nftables rule per node, not iptables chains per pod.
    const nat = execFileSync('nft', ['list', 'table', 'ip', `k8ts${env.tag}`], { encoding: 'utf8' });
    assert.ok(nat.includes(`ip saddr ${podCidr} ip daddr != ${podCidr}`) && nat.includes('masquerade'), nat);
  });

  test('kubectl run: a pod reaches Running with a pod IP on the node', async () => {
    await cluster.ok(['run', 'web', '--image=busybox', '--image-pull-policy=IfNotPresent', '--command', '--', 'sleep', '3600']);
    const running = await eventually('web Running', async () => {
      const p = await pod('web');
      return p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready ? p : undefined;
    });
    assert.ok(running.status.podIP.startsWith(podCidr.split('.').slice(0, 3).join('.')), running.status.podIP);
    assert.match(running.status.containerStatuses[0].containerID, /^(runc|crun):\/\/[0-9a-f]{64}$/);
    assert.equal(running.status.qosClass, 'BestEffort');
    const wide = await cluster.ok(['get', 'pod', 'web', '-o', 'wide']);
    assert.match(wide, new RegExp(`Running.*${running.status.podIP.replace(/\./g, '\\.')}\\s+${running.spec.nodeName}`));
    const events = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'custom-columns=R:.reason,M:.message', '--no-headers']);
    assert.match(events, /Pulled\s+Container image "busybox" already present on machine/);
    assert.match(events, /Created\s+Created container web/);
    assert.match(events, /Started\s+Started container web/);
  });

  test('kubectl logs and exec reach the container through the API server and the kubelet server', async () => {
    await cluster.ok(['apply', '-f', '-'], { input: manifest('chatty', { containers: [{ name: 'c', ...busybox, command: ['sh', '-c', 'echo hello; echo oops >&2; sleep 3600'] }] }) });
    await eventually('chatty Running', async () => ((await pod('chatty')).status?.phase === 'Running' ? true : undefined));
    const logs = await cluster.waitFor(['logs', 'chatty'], /oops/);
    assert.deepEqual(logs.trim().split('\n').sort(), ['hello', 'oops']);
    const exec = await cluster.kubectl(['exec', 'chatty', '--', 'sh', '-c', 'cat /etc/hostname; exit 3']);
    assert.equal(exec.code, 3);
    assert.equal(exec.stdout, 'chatty\n');
    assert.equal((await cluster.ok(['exec', '-i', 'chatty', '--', 'wc', '-l'], { input: 'a\nb\n' })).trim(), '2');
    await cluster.ok(['delete', 'pod', 'chatty', '--wait=false']);
  });

  test('hostAliases and hostname/subdomain are in the pod\'s /etc/hosts', async () => {
    const spec = { hostname: 'db-0', subdomain: 'db', hostAliases: [{ ip: '10.9.8.7', hostnames: ['foo.local', 'bar.local'] }], containers: [{ name: 'c', ...busybox, command: ['sleep', '3600'] }] };
    await cluster.ok(['apply', '-f', '-'], { input: manifest('aliased', spec) });
    const running = await eventually('aliased Running', async () => ((await pod('aliased')).status?.phase === 'Running' ? pod('aliased') : undefined));
    const hosts = await cluster.ok(['exec', 'aliased', '--', 'cat', '/etc/hosts']);
    assert.match(hosts, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    assert.ok(hosts.includes(`${running.status.podIP}\tdb-0.db.default.svc.cluster.local\tdb-0\n`), hosts);
    assert.ok(hosts.endsWith('\n# Entries added by HostAliases.\n10.9.8.7\tfoo.local\tbar.local\n'), hosts);
    assert.equal((await cluster.ok(['exec', 'aliased', '--', 'hostname'])).trim(), 'db-0');
    await cluster.ok(['delete', 'pod', 'aliased', '--wait=false']);
  });

  test('restartPolicy Never: exit 0 is Completed/Succeeded, exit 1 is Error/Failed', async () => {
    await cluster.ok(['apply', '-f', '-'], { input: manifest('ok', { restartPolicy: 'Never', containers: [{ name: 'c', ...busybox, command: ['sh', '-c', 'echo done'] }] }) });
    await cluster.ok(['apply', '-f', '-'], { input: manifest('bad', { restartPolicy: 'Never', containers: [{ name: 'c', ...busybox, command: ['sh', '-c', 'exit 1'] }] }) });
    const ok = await eventually('ok Succeeded', async () => ((await pod('ok')).status?.phase === 'Succeeded' ? pod('ok') : undefined));
    assert.equal(ok.status.containerStatuses[0].state.terminated.reason, 'Completed');
    const bad = await eventually('bad Failed', async () => ((await pod('bad')).status?.phase === 'Failed' ? pod('bad') : undefined));
    assert.equal(bad.status.containerStatuses[0].state.terminated.reason, 'Error');
    assert.equal(bad.status.containerStatuses[0].state.terminated.exitCode, 1);
    const table = await cluster.ok(['get', 'pods', 'ok', 'bad', '--no-headers']);
    assert.match(table, /ok\s+0\/1\s+Completed/);
    assert.match(table, /bad\s+0\/1\s+Error/);
  });

  test('init containers run in order before the main container, which sees env and $(VAR) expansion', async () => {
    await cluster.ok(['apply', '-f', '-'], {
      input: manifest('inits', {
        volumes: [{ name: 'shared', emptyDir: {} }],
        initContainers: [
          { name: 'first', ...busybox, command: ['sh', '-c', 'echo first >> /shared/order'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
          { name: 'second', ...busybox, command: ['sh', '-c', 'sleep 1; echo second >> /shared/order'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
        ],
        containers: [
          {
            name: 'main',
            ...busybox,
            env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'GREETING', value: 'hi-$(POD)' }],
            command: ['sh', '-c', 'echo main >> /shared/order; echo $(GREETING) >> /shared/order; sleep 3600'],
            volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
          },
        ],
      }),
    });
    const running = await eventually('inits Running', async () => ((await pod('inits')).status?.phase === 'Running' ? pod('inits') : undefined));
    assert.deepEqual(running.status.initContainerStatuses.map((s: any) => s.state.terminated?.reason), ['Completed', 'Completed']);
    const first = Date.parse(running.status.initContainerStatuses[0].state.terminated.finishedAt);
    const second = Date.parse(running.status.initContainerStatuses[1].state.terminated.startedAt);
    assert.ok(second >= first, 'second started after first finished');
    const file = join(dataDir, 'pods', running.metadata.uid, 'volumes', 'kubernetes.io~empty-dir', 'shared', 'order');
    const lines = await eventually('the order file', async () => (existsSync(file) && readFileSync(file, 'utf8').split('\n').length >= 5 ? readFileSync(file, 'utf8') : undefined));
    assert.equal(lines, 'first\nsecond\nmain\nhi-inits\n');
    assert.equal(running.status.conditions.find((c: any) => c.type === 'Initialized').status, 'True');
  });

  test('a crashing container goes CrashLoopBackOff with restarts counted', async () => {
    await cluster.ok(['apply', '-f', '-'], { input: manifest('crash', { containers: [{ name: 'c', ...busybox, command: ['sh', '-c', 'exit 3'] }] }) });
    const crashing = await eventually(
      'CrashLoopBackOff',
      async () => {
        const p = await pod('crash');
        const s = p.status?.containerStatuses?.[0];
        return s?.state?.waiting?.reason === 'CrashLoopBackOff' && s.restartCount > 0 ? p : undefined;
      },
      60_000,
    );
    const status = crashing.status.containerStatuses[0];
    assert.match(status.state.waiting.message, new RegExp(`^back-off \\d+s restarting failed container=c pod=crash_default\\(${crashing.metadata.uid}\\)$`));
    assert.equal(status.lastState.terminated.exitCode, 3);
    assert.match(await cluster.ok(['get', 'pod', 'crash', '--no-headers']), /crash\s+0\/1\s+CrashLoopBackOff\s+\d/);
    // Repeats of one event are one Event object whose count rises (client-go's correlator).
    const started = await eventually('one Started event counted twice', async () => {
      const items = JSON.parse(await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.name=crash,reason=Started', '-o', 'json'])).items as any[];
      return items.length === 1 && items[0].count >= 2 ? items[0] : undefined;
    });
    assert.equal(started.message, 'Started container c');
    assert.notEqual(started.firstTimestamp, undefined);
  });

  test('a container over its memory limit is OOMKilled', async () => {
    await cluster.ok(['apply', '-f', '-'], {
      input: manifest('hog', { restartPolicy: 'Never', containers: [{ name: 'c', ...busybox, command: ['sh', '-c', 'x=$(yes | head -c 80000000); echo survived'], resources: { limits: { memory: '16Mi' } } }] }),
    });
    const p = await eventually('hog Failed', async () => ((await pod('hog')).status?.phase === 'Failed' ? pod('hog') : undefined), 60_000);
    assert.equal(p.status.containerStatuses[0].state.terminated.reason, 'OOMKilled');
    assert.equal(p.status.containerStatuses[0].state.terminated.exitCode, 137);
    assert.equal(p.status.qosClass, 'Burstable');
  });

  test('deleting a pod stops its containers gracefully and the pod disappears', async () => {
    await cluster.ok(['apply', '-f', '-'], { input: manifest('graceful', { containers: [{ name: 'c', ...busybox, command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.2; done"] }] }) });
    const p = await eventually('graceful Running', async () => ((await pod('graceful')).status?.phase === 'Running' ? pod('graceful') : undefined));
    const started = Date.now();
    await cluster.ok(['delete', 'pod', 'graceful', '--wait=true', '--timeout=60s']);
    assert.ok(Date.now() - started < 10_000, 'stopped by SIGTERM, well before a kill');
    const events = await cluster.ok(['get', 'events', '--field-selector', `involvedObject.uid=${p.metadata.uid}`, '-o', 'custom-columns=R:.reason,M:.message', '--no-headers']);
    assert.match(events, /Killing\s+Stopping container c/);
    const sandboxes = readdirSync(join(dataDir, 'runtime', 'sandboxes')).map((id) => readFileSync(join(dataDir, 'runtime', 'sandboxes', id, 'sandbox.json'), 'utf8'));
    assert.equal(sandboxes.some((s) => s.includes(p.metadata.uid)), false, 'its sandbox is removed');
  });

  test('a static pod manifest runs as a mirror pod named <name>-<node>, and stops when the file goes', async () => {
    const nodeName = JSON.parse(await cluster.ok(['get', 'nodes', '-o', 'json'])).items[0].metadata.name as string;
    const name = `static-web-${nodeName}`;
    const mirror = await eventually('the mirror pod Running', async () => {
      const { stdout } = await cluster.kubectl(['get', 'pod', name, '-o', 'json']);
      const p = stdout ? JSON.parse(stdout) : undefined;
      return p?.status?.phase === 'Running' ? p : undefined;
    });
    assert.ok(mirror.metadata.annotations['kubernetes.io/config.mirror']);
    assert.equal(mirror.metadata.annotations['kubernetes.io/config.source'], 'file');
    assert.equal(mirror.spec.nodeName, nodeName);
    rmSync(join(dataDir, 'manifests', 'static-web.yaml'));
    await eventually('the mirror pod gone', async () => ((await cluster.kubectl(['get', 'pod', name])).code !== 0 ? true : undefined), 60_000, 1_000);
  });

  test('a restarted agent keeps the running container: same container ID, no restart', async () => {
    const before = (await pod('web')).status.containerStatuses[0];
    assert.equal(await cluster.stop(), 0);
    cluster = await start();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = await eventually('web still Running', async () => {
      const p = await pod('web');
      return p.status?.phase === 'Running' ? p.status.containerStatuses[0] : undefined;
    });
    assert.equal(after.containerID, before.containerID);
    assert.equal(after.restartCount, 0);
    assert.equal(after.state.running.startedAt, before.state.running.startedAt);
  });
});
