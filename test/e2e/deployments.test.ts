// Deployments on simulated nodes, driven by the real kubectl: rollouts, history, undo, pause and
// resume, restart, scale, and a rollout that misses its progress deadline — all client-side
// kubectl logic over the status, conditions and annotations the deployment controller keeps.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';

/** Each step of a small rollout on sim nodes takes well under a second. */
const rolloutTimeout = '--timeout=60s';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster({ extraArgs: ['--sim-nodes', '3'] });
});
after(async () => {
  await cluster?.destroy();
});

const waitFor = (args: string[], expected: RegExp): Promise<string> => cluster.waitFor(args, expected);

function deployment(name: string, options: { replicas?: number; image?: string; spec?: object; podAnnotations?: Record<string, string> } = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: options.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name }, ...(options.podAnnotations ? { annotations: options.podAnnotations } : {}) }, spec: { containers: [{ name: 'c', image: options.image ?? 'nginx:1' }] } },
      ...options.spec,
    },
  });
}

const image = (name: string): Promise<string> => cluster.ok(['get', 'deploy', name, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
const replicaSets = async (name: string): Promise<string[]> =>
  (await cluster.ok(['get', 'rs', '-l', `app=${name}`, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas}:{.metadata.annotations.deployment\\.kubernetes\\.io/revision}:{.spec.template.spec.containers[0].image}{"\\n"}{end}']))
    .split('\n')
    .filter(Boolean)
    .sort();

test('apply, image change, history, undo and undo --to-revision roll out as upstream', async () => {
  await cluster.ok(['apply', '-f', '-'], { input: deployment('web') });
  const first = await cluster.ok(['rollout', 'status', 'deploy/web', rolloutTimeout]);
  assert.match(first, /deployment "web" successfully rolled out/);
  const [rs1] = await replicaSets('web');
  const hash = await cluster.ok(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.labels.pod-template-hash}']);
  assert.equal(rs1, `web-${hash}=3:1:nginx:1`);
  assert.equal(await cluster.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), '1');

  await cluster.ok(['set', 'image', 'deploy/web', 'c=nginx:2']);
  assert.match(await cluster.ok(['rollout', 'status', 'deploy/web', rolloutTimeout]), /successfully rolled out/);
  const sets = await replicaSets('web');
  assert.equal(sets.length, 2);
  assert.ok(sets.includes(`web-${hash}=0:1:nginx:1`), sets.join());
  assert.ok(sets.some((rs) => /=3:2:nginx:2$/.test(rs)), sets.join());
  const history = await cluster.ok(['rollout', 'history', 'deploy/web']);
  assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  assert.match(await cluster.ok(['rollout', 'history', 'deploy/web', '--revision=2']), /Image:\s+nginx:2/);

  const status = await cluster.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.status.replicas}/{.status.updatedReplicas}/{.status.readyReplicas}/{.status.availableReplicas}']);
  assert.equal(status, '3/3/3/3');
  const events = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
  assert.match(events, new RegExp(`^ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3$`, 'm'));
  assert.match(events, new RegExp(`^ScalingReplicaSet: Scaled down replica set web-${hash} from \\d to \\d$`, 'm'));

  await cluster.ok(['rollout', 'undo', 'deploy/web']);
  await cluster.ok(['rollout', 'status', 'deploy/web', rolloutTimeout]);
  assert.equal(await image('web'), 'nginx:1');
  // The first ReplicaSet is re-used with revision 3 and remembers revision 1.
  assert.equal(await cluster.ok(['get', 'rs', `web-${hash}`, '-o', 'jsonpath={.spec.replicas}:{.metadata.annotations.deployment\\.kubernetes\\.io/revision}:{.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}']), '3:3:1');
  assert.match(await cluster.ok(['rollout', 'history', 'deploy/web']), /\n2\s+<none>\n3\s+<none>/);

  await cluster.ok(['rollout', 'undo', 'deploy/web', '--to-revision=2']);
  await cluster.ok(['rollout', 'status', 'deploy/web', rolloutTimeout]);
  assert.equal(await image('web'), 'nginx:2');
  const missing = await cluster.kubectl(['rollout', 'undo', 'deploy/web', '--to-revision=9']);
  assert.match(missing.stderr, /unable to find specified revision 9 in history/);
});

test('pause holds a template change, resume rolls it out; restart and scale work', async () => {
  await cluster.ok(['apply', '-f', '-'], { input: deployment('paused', { replicas: 2 }) });
  await cluster.ok(['rollout', 'status', 'deploy/paused', rolloutTimeout]);
  await cluster.ok(['rollout', 'pause', 'deploy/paused']);
  await cluster.ok(['set', 'image', 'deploy/paused', 'c=nginx:2']);
  await waitFor(['get', 'deploy', 'paused', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}/{.status.conditions[?(@.type=="Progressing")].status}'], /^DeploymentPaused\/Unknown$/);
  assert.equal((await replicaSets('paused')).length, 1);

  await cluster.ok(['rollout', 'resume', 'deploy/paused']);
  assert.match(await cluster.ok(['rollout', 'status', 'deploy/paused', rolloutTimeout]), /successfully rolled out/);
  assert.deepEqual((await replicaSets('paused')).map((rs) => rs.replace(/^paused-\w+=/, '')).sort(), ['0:1:nginx:1', '2:2:nginx:2']);

  await cluster.ok(['rollout', 'restart', 'deploy/paused']);
  assert.match(await cluster.ok(['rollout', 'status', 'deploy/paused', rolloutTimeout]), /successfully rolled out/);
  assert.match(await cluster.ok(['get', 'deploy', 'paused', '-o', 'jsonpath={.spec.template.metadata.annotations}']), /kubectl\.kubernetes\.io\/restartedAt/);
  assert.equal((await replicaSets('paused')).filter((rs) => /=2:3:/.test(rs)).length, 1);

  await cluster.ok(['scale', 'deploy/paused', '--replicas=5']);
  await waitFor(['get', 'deploy', 'paused', '-o', 'jsonpath={.status.readyReplicas}/{.status.availableReplicas}'], /^5\/5$/);
  assert.match(await cluster.ok(['get', 'deploy', 'paused']), /paused\s+5\/5\s+5\s+5\s/);
});

test('a rollout whose pods never become ready exceeds its progress deadline', async () => {
  await cluster.ok(['apply', '-f', '-'], { input: deployment('stuck', { replicas: 2, spec: { progressDeadlineSeconds: 2 }, podAnnotations: { 'sim.k8ts.io/not-ready': 'true' } }) });
  const result = await cluster.kubectl(['rollout', 'status', 'deploy/stuck', '--timeout=30s']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /error: deployment "stuck" exceeded its progress deadline/);
  const progressing = await cluster.ok(['get', 'deploy', 'stuck', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].status}/{.status.conditions[?(@.type=="Progressing")].reason}/{.status.conditions[?(@.type=="Progressing")].message}']);
  assert.match(progressing, /^False\/ProgressDeadlineExceeded\/ReplicaSet "stuck-\w+" has timed out progressing\.$/);
  const available = await cluster.ok(['get', 'deploy', 'stuck', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].reason}/{.status.unavailableReplicas}']);
  assert.equal(available, 'MinimumReplicasUnavailable/2');
});

test('Recreate replaces every pod only after the old ones are gone', async () => {
  await cluster.ok(['apply', '-f', '-'], { input: deployment('recreate', { replicas: 2, spec: { strategy: { type: 'Recreate' } } }) });
  await cluster.ok(['rollout', 'status', 'deploy/recreate', rolloutTimeout]);
  await cluster.ok(['set', 'image', 'deploy/recreate', 'c=nginx:2']);
  assert.match(await cluster.ok(['rollout', 'status', 'deploy/recreate', rolloutTimeout]), /successfully rolled out/);
  const sets = (await replicaSets('recreate')).map((rs) => rs.replace(/^recreate-\w+=/, ''));
  assert.deepEqual(sets.sort(), ['0:1:nginx:1', '2:2:nginx:2']);
});
