// The kubelet's probes, hooks, configuration volumes and Service links on real containers,
// driven by the real kubectl: readiness flips Ready, a failing liveness probe restarts the
// container, an httpGet probe against busybox httpd, configMap/secret/downwardAPI volumes and the
// service-account token read from inside the pod (through its log), and a configMap update that
// reaches the running pod.
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { agentTestEnv, cleanUpAgentCluster, containerLogText, importBusybox } from './agent-cluster.js';
import { eventually, freePort, startCluster, type TestCluster } from './harness.js';

const isRoot = process.getuid?.() === 0;
const env = agentTestEnv('k8ts-probes-e2e-');
const { work, dataDir, podCidr } = env;
let cluster: TestCluster;
const hostDir = join(work, 'host');

const busybox = { image: 'busybox', imagePullPolicy: 'IfNotPresent' };

async function pod(name: string): Promise<any> {
  return JSON.parse(await cluster.ok(['get', 'pod', name, '-o', 'json']));
}

function manifest(name: string, spec: object, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { terminationGracePeriodSeconds: 1, ...spec } });
}

const logOf = (p: any, container: string): string => containerLogText(dataDir, p, container);

async function events(name: string): Promise<string> {
  return cluster.ok(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'custom-columns=R:.reason,M:.message', '--no-headers']);
}

describe('kubelet: probes, hooks, volumes and service links', { skip: !isRoot && 'needs root' }, () => {
  before(async () => {
    await importBusybox(env);
    cluster = await startCluster({ dataDir, port: await freePort(), agent: true, extraArgs: ['--pod-cidr', podCidr] });
    await cluster.ok(['create', 'configmap', 'cfg', '--from-literal=greeting=hello']);
    await cluster.ok(['create', 'secret', 'generic', 'sec', '--from-literal=password=s3cret']);
    await cluster.ok(['create', 'service', 'clusterip', 'backend', '--tcp=80:8080']);
    const pods = [
      manifest('ready', {
        containers: [
          {
            name: 'c',
            ...busybox,
            command: ['sh', '-c', 'sleep 3; touch /tmp/ready; sleep 3600'],
            lifecycle: { postStart: { exec: { command: ['sh', '-c', 'touch /tmp/hooked'] } } },
            readinessProbe: { exec: { command: ['cat', '/tmp/ready', '/tmp/hooked'] }, periodSeconds: 1 },
          },
        ],
      }),
      manifest('live', {
        containers: [{ name: 'c', ...busybox, command: ['sh', '-c', 'touch /tmp/alive; sleep 2; rm /tmp/alive; sleep 3600'], livenessProbe: { exec: { command: ['cat', '/tmp/alive'] }, periodSeconds: 1, failureThreshold: 1 } }],
      }),
      manifest('web', {
        containers: [
          {
            name: 'c',
            ...busybox,
            ports: [{ name: 'http', containerPort: 8080 }],
            command: ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www'],
            readinessProbe: { httpGet: { path: '/index.html', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }, periodSeconds: 1 },
            livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
          },
        ],
      }),
      manifest(
        'config',
        {
          volumes: [
            { name: 'cfg', configMap: { name: 'cfg' } },
            { name: 'sec', secret: { secretName: 'sec', defaultMode: 0o400 } },
            { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          ],
          containers: [
            {
              name: 'c',
              ...busybox,
              volumeMounts: [
                { name: 'cfg', mountPath: '/etc/config' },
                { name: 'sec', mountPath: '/etc/secret', readOnly: true },
                { name: 'info', mountPath: '/etc/podinfo' },
              ],
              command: [
                'sh',
                '-c',
                'sa=/var/run/secrets/kubernetes.io/serviceaccount; echo "labels=$(tr "\\n" , < /etc/podinfo/labels)"; echo "sa=$(ls $sa | tr "\\n" ,) ns=$(cat $sa/namespace) tok=$(head -c 3 $sa/token) ca=$(grep -c BEGIN $sa/ca.crt)"; echo "svc=$BACKEND_SERVICE_HOST:$BACKEND_SERVICE_PORT k8s=$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT link=$BACKEND_PORT_80_TCP_PROTO"; while true; do echo "cm=$(cat /etc/config/greeting) sec=$(cat /etc/secret/password)"; sleep 1; done',
              ],
            },
          ],
        },
        { app: 'demo', tier: 'back' },
      ),
      manifest('extras', {
        volumes: [
          { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } },
          { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
          { name: 'cfg', configMap: { name: 'cfg' } },
          {
            name: 'proj',
            projected: {
              sources: [
                { configMap: { name: 'cfg', items: [{ key: 'greeting', path: 'cm/greeting' }] } },
                { secret: { name: 'sec' } },
                { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
                { serviceAccountToken: { path: 'vault-token', audience: 'vault', expirationSeconds: 3600 } },
              ],
            },
          },
        ],
        containers: [
          {
            name: 'c',
            ...busybox,
            volumeMounts: [
              { name: 'mem', mountPath: '/mem' },
              { name: 'host', mountPath: '/host' },
              { name: 'cfg', mountPath: '/etc/greeting', subPath: 'greeting', readOnly: true },
              { name: 'proj', mountPath: '/proj' },
            ],
            command: ['sh', '-c', 'echo "mem=$(df -k /mem | tail -1 | awk \'{print $2}\') sub=$(cat /etc/greeting) proj=$(ls /proj | tr "\\n" ,) name=$(cat /proj/name) pw=$(cat /proj/password)"; sleep 2; touch /tmp/started; sleep 3600'],
            startupProbe: { exec: { command: ['cat', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 30 },
            lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo bye > /host/prestop'] } } },
          },
        ],
      }),
      manifest('badhook', { containers: [{ name: 'c', ...busybox, command: ['sleep', '3600'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 7'] } } } }] }),
    ];
    await cluster.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods.map((p) => JSON.parse(p)) }) });
  });

  after(async () => {
    await cleanUpAgentCluster(env, cluster);
  });

  test('an exec readiness probe keeps the pod unready until it passes, then Ready flips to True', async () => {
    const unready = await eventually('ready Running but not Ready', async () => {
      const p = await pod('ready');
      return p.status?.phase === 'Running' ? p : undefined;
    });
    assert.equal(unready.status.containerStatuses[0].ready, false);
    assert.equal(unready.status.conditions.find((c: any) => c.type === 'Ready').status, 'False');
    const ready = await eventually('ready Ready', async () => {
      const p = await pod('ready');
      return p.status.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True' ? p : undefined;
    });
    assert.equal(ready.status.containerStatuses[0].ready, true);
    assert.equal(ready.status.conditions.find((c: any) => c.type === 'ContainersReady').status, 'True');
    assert.doesNotMatch(await events('ready'), /FailedPostStartHook/);
  });

  test('a failing liveness probe kills and restarts the container, with Unhealthy and Killing events', async () => {
    const restarted = await eventually('live restarted', async () => {
      const p = await pod('live');
      return p.status?.containerStatuses?.[0]?.restartCount >= 1 ? p : undefined;
    });
    assert.ok(restarted.status.containerStatuses[0].lastState.terminated);
    const seen = await events('live');
    assert.match(seen, /Unhealthy\s+Liveness probe failed: cat: can't open '\/tmp\/alive'/);
    assert.match(seen, /Killing\s+Container c failed liveness probe, will be restarted/);
  });

  test('an httpGet probe on a named port against busybox httpd makes the pod Ready; tcpSocket liveness keeps it alive', async () => {
    const p = await eventually('web Ready', async () => {
      const web = await pod('web');
      return web.status?.containerStatuses?.[0]?.ready ? web : undefined;
    });
    assert.equal(p.status.containerStatuses[0].restartCount, 0);
  });

  test('configMap, secret (tmpfs, mode 0400), downwardAPI labels, the service-account token and Service links inside the pod', async () => {
    const p = await eventually('config Running', async () => ((await pod('config')).status?.phase === 'Running' ? pod('config') : undefined));
    const log = await eventually('config output', async () => (logOf(p, 'c').includes('cm=') ? logOf(p, 'c') : undefined));
    assert.match(log, /labels=app="demo",tier="back"/);
    assert.match(log, /sa=ca\.crt,namespace,token, ns=default tok=eyJ ca=1/);
    const backend = JSON.parse(await cluster.ok(['get', 'service', 'backend', '-o', 'json']));
    const kubernetes = JSON.parse(await cluster.ok(['get', 'service', 'kubernetes', '-o', 'json']));
    assert.match(log, new RegExp(`svc=${backend.spec.clusterIP}:80 k8s=${kubernetes.spec.clusterIP}:443 link=tcp`));
    assert.match(log, /cm=hello sec=s3cret/);
    const secretDir = join(dataDir, 'pods', p.metadata.uid, 'volumes', 'kubernetes.io~secret', 'sec');
    assert.ok(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === secretDir && l.includes(' - tmpfs ')), 'the secret volume is a tmpfs');
    assert.equal(statSync(join(secretDir, 'password')).mode & 0o777, 0o400);
    assert.equal(readlinkSync(join(dataDir, 'pods', p.metadata.uid, 'volumes', 'kubernetes.io~configmap', 'cfg', 'greeting')), '..data/greeting');
  });

  test('a configMap update reaches the running pod through the atomic ..data swap', async () => {
    const p = await pod('config');
    await cluster.ok(['patch', 'configmap', 'cfg', '-p', '{"data":{"greeting":"updated"}}']);
    await eventually('the new value inside the pod', async () => (logOf(p, 'c').includes('cm=updated') ? true : undefined), 40_000, 500);
  });

  test('a startup probe holds started and ready until it passes; emptyDir Memory is a tmpfs of sizeLimit; projected and subPath volumes', async () => {
    const p = await eventually('extras ready', async () => {
      const x = await pod('extras');
      return x.status?.containerStatuses?.[0]?.ready ? x : undefined;
    });
    assert.equal(p.status.containerStatuses[0].started, true);
    const readyAt = Date.parse(p.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime);
    assert.ok(readyAt - Date.parse(p.status.containerStatuses[0].state.running.startedAt) >= 1000, 'not ready before the startup probe passed (2 s in)');
    const log = await eventually('extras output', async () => (logOf(p, 'c').includes('mem=') ? logOf(p, 'c') : undefined));
    assert.match(log, /mem=8192 sub=hello proj=cm,name,password,vault-token, name=extras pw=s3cret/);
    const token = readFileSync(join(dataDir, 'pods', p.metadata.uid, 'volumes', 'kubernetes.io~projected', 'proj', 'vault-token'), 'utf8');
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    assert.deepEqual([claims.aud].flat(), ['vault']);
    assert.ok(claims.exp - claims.iat >= 3600 - 1, 'expirationSeconds honoured');
  });

  test('a failing postStart hook records FailedPostStartHook and the container is killed and restarted', async () => {
    await eventually('badhook restarted', async () => ((await pod('badhook')).status?.containerStatuses?.[0]?.restartCount >= 1 ? true : undefined), 30_000);
    assert.match(await events('badhook'), /FailedPostStartHook\s+Exec lifecycle hook \(\["sh","-c","exit 7"\]\)/);
  });

  test('deletion runs the preStop hook before stopping the container', async () => {
    await cluster.ok(['delete', 'pod', 'extras', '--wait=true', '--timeout=30s']);
    assert.equal(readFileSync(join(hostDir, 'prestop'), 'utf8'), 'bye\n');
  });
});
