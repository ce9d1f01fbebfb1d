// Every kind the server serves, driven by the real kubectl 1.32 the way a user would: apply a
// minimal realistic manifest, read it back as a table (upstream's columns), as YAML (upstream's
// defaults), describe it, apply a change, delete it. Then the kubectl commands that go beyond
// plain CRUD: typed `create` subcommands (protobuf bodies), run, scale, events in both API
// versions, HPA in both versions, selectors, pagination and the output formats.
//
// One cluster for the whole file; every namespaced object lives in the "kinds" namespace.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { startCluster, type TestCluster } from './harness.js';
import { AGE, escape, header, NS, row, type Obj } from './kinds/cases.js';
import { clusterCases } from './kinds/cluster-cases.js';
import { coreCases } from './kinds/core-cases.js';
import { extensionCases } from './kinds/extension-cases.js';
import { workloadCases } from './kinds/workload-cases.js';

let cluster: TestCluster;

before(async () => {
  cluster = await startCluster();
  await cluster.ok(['create', 'namespace', NS]);
});
after(async () => {
  await cluster?.destroy();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const cases = [...coreCases, ...extensionCases, ...workloadCases, ...clusterCases];

for (const kind of cases) {
  test(`${kind.resource}: apply, get, -o yaml defaults, describe, apply a change, delete`, async () => {
    const ns = ['-n', NS];
    assert.equal((await cluster.ok(['apply', ...ns, '-f', '-'], { input: kind.manifest })).trim(), `${kind.shown} created`);
    const table = await cluster.ok(['get', ...ns, kind.resource, kind.name]);
    assert.match(table, kind.header, `header of:\n${table}`);
    assert.match(table, kind.row, `row of:\n${table}`);
    const obj = parse(await cluster.ok(['get', ...ns, kind.resource, kind.name, '-o', 'yaml'])) as Obj;
    assert.equal(obj.metadata.name, kind.name);
    assert.ok(obj.metadata.uid && obj.metadata.resourceVersion && obj.metadata.creationTimestamp);
    kind.defaults(obj);
    const described = await cluster.kubectl(['describe', ...ns, kind.resource, kind.name]);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, new RegExp(`^Name:\\s+${escape(kind.name)}$`, 'm'), described.stdout);
    assert.equal((await cluster.ok(['apply', ...ns, '-f', '-'], { input: kind.changed })).trim(), `${kind.shown} configured`);
    kind.updated(JSON.parse(await cluster.ok(['get', ...ns, kind.resource, kind.name, '-o', 'json'])));
    const [resourceName, ...group] = kind.shown.split('/')[0]!.split('.');
    assert.equal((await cluster.ok(['delete', ...ns, kind.resource, kind.name, '--wait=false'])).trim(), `${[resourceName, ...group].join('.')} "${kind.name}" deleted`);
    if (kind.resource !== 'namespaces') {
      assert.match((await cluster.kubectl(['get', ...ns, kind.resource, kind.name])).stderr, /NotFound|not found/);
    }
  });
}

// ---------------------------------------------------------------------------------------
// Beyond CRUD: the rest of what a user types.
// ---------------------------------------------------------------------------------------

/** The namespace goes first, so that it never lands after a `--` command separator. */
const inNs = (...args: string[]): string[] => ['-n', NS, ...args];

test('kubectl get componentstatuses prints upstream health columns', async () => {
  // Upstream answers the Table request with NAME STATUS MESSAGE ERROR (and a deprecation warning).
  // componentstatuses answer as a Table with the deprecation warning, as upstream.
  const result = await cluster.kubectl(['get', 'componentstatuses']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, header('NAME', 'STATUS', 'MESSAGE', 'ERROR'), result.stdout);
  assert.match(result.stdout, row('scheduler', 'Healthy', 'ok'), result.stdout);
  assert.match(result.stdout, row('controller-manager', 'Healthy', 'ok'), result.stdout);
  assert.match(result.stderr, /Warning: v1 ComponentStatus is deprecated in v1\.19\+/);
});

test('kubectl api-versions lists every served group version and no beta ones', async () => {
  const lines = (await cluster.ok(['api-versions'])).trim().split('\n');
  for (const gv of [
    'v1',
    'admissionregistration.k8s.io/v1',
    'apiextensions.k8s.io/v1',
    'apiregistration.k8s.io/v1',
    'apps/v1',
    'authentication.k8s.io/v1',
    'authorization.k8s.io/v1',
    'autoscaling/v1',
    'autoscaling/v2',
    'batch/v1',
    'certificates.k8s.io/v1',
    'coordination.k8s.io/v1',
    'discovery.k8s.io/v1',
    'events.k8s.io/v1',
    'flowcontrol.apiserver.k8s.io/v1',
    'networking.k8s.io/v1',
    'node.k8s.io/v1',
    'policy/v1',
    'rbac.authorization.k8s.io/v1',
    'scheduling.k8s.io/v1',
    'storage.k8s.io/v1',
  ]) {
    assert.ok(lines.includes(gv), `${gv} in:\n${lines.join('\n')}`);
  }
  assert.deepEqual(lines, [...lines].sort(), 'sorted as kubectl prints them');
  assert.equal(lines.filter((line) => /beta|alpha/.test(line)).length, 0, lines.join('\n'));
});

test('kubectl explain shows fields from the published OpenAPI', async () => {
  const strategy = await cluster.ok(['explain', 'deployment.spec.strategy']);
  assert.match(strategy, /^GROUP:\s+apps$/m);
  assert.match(strategy, /^KIND:\s+Deployment$/m);
  assert.match(strategy, /^VERSION:\s+v1$/m);
  assert.match(strategy, /^FIELD: strategy <DeploymentStrategy>$/m);
  assert.match(strategy, /^ {2}rollingUpdate\t<RollingUpdateDeployment>$/m);
  assert.match(strategy, /^ {2}type\t<string>$/m);
  assert.match(strategy, /enum: Recreate, RollingUpdate/);
  const image = await cluster.ok(['explain', 'pod.spec.containers.image']);
  assert.doesNotMatch(image, /^GROUP:/m, 'the core group has no GROUP line');
  assert.match(image, /^KIND:\s+Pod$/m);
  assert.match(image, /^VERSION:\s+v1$/m);
  assert.match(image, /^FIELD: image <string>$/m);
  assert.match(image, /Container image name/);
});

test('kubectl auth can-i and auth whoami', async () => {
  assert.equal((await cluster.ok(['auth', 'can-i', 'create', 'pods'])).trim(), 'yes');
  assert.equal((await cluster.ok(['auth', 'can-i', 'delete', 'deployments.apps', '-n', NS])).trim(), 'yes');
  const whoami = await cluster.ok(['auth', 'whoami']);
  assert.match(whoami, header('ATTRIBUTE', 'VALUE'));
  assert.match(whoami, /^Username\s+\S+$/m);
  assert.match(whoami, /^Groups\s+\[.*system:authenticated.*\]$/m);
  const json = JSON.parse(await cluster.ok(['auth', 'whoami', '-o', 'json']));
  assert.equal(json.kind, 'SelfSubjectReview');
  assert.equal(json.apiVersion, 'authentication.k8s.io/v1');
  assert.ok(json.status.userInfo.username);
});

test('kubectl create subcommands (protobuf bodies) create what they say', async () => {
  const created = async (args: string[], shown: string): Promise<void> => {
    assert.equal((await cluster.ok(inNs('create', ...args))).trim(), `${shown} created`);
  };
  // The typed clients behind these subcommands send protobuf; check it on one of them.
  const verbose = await cluster.kubectl(inNs('create', 'configmap', 'pb-probe', '--from-literal=a=b', '-v=8'));
  assert.equal(verbose.code, 0, verbose.stderr);
  assert.match(verbose.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);

  await created(['configmap', 'app-config', '--from-literal=mode=fast', '--from-literal=level=3'], 'configmap/app-config');
  await created(['secret', 'generic', 'app-secret', '--from-literal=password=s3cret'], 'secret/app-secret');
  await created(['deployment', 'api', '--image=nginx:1.25', '--replicas=2', '--port=8080'], 'deployment.apps/api');
  await created(['service', 'clusterip', 'api', '--tcp=80:8080'], 'service/api');
  await created(['service', 'nodeport', 'api-np', '--tcp=80:8080'], 'service/api-np');
  await created(['job', 'once', '--image=busybox:1.36', '--', 'echo', 'hi'], 'job.batch/once');
  await created(['cronjob', 'every5', '--image=busybox:1.36', '--schedule=*/5 * * * *', '--', 'echo', 'hi'], 'cronjob.batch/every5');
  await created(['namespace', 'created-ns'], 'namespace/created-ns');
  await created(['serviceaccount', 'builder'], 'serviceaccount/builder');
  await created(['role', 'pod-reader', '--verb=get,list', '--resource=pods'], 'role.rbac.authorization.k8s.io/pod-reader');
  await created(['rolebinding', 'read-pods', '--role=pod-reader', '--user=bob', '--serviceaccount=kinds:builder'], 'rolebinding.rbac.authorization.k8s.io/read-pods');
  await created(['clusterrole', 'node-viewer', '--verb=get,list', '--resource=nodes'], 'clusterrole.rbac.authorization.k8s.io/node-viewer');
  await created(['clusterrolebinding', 'view-nodes', '--clusterrole=node-viewer', '--group=ops'], 'clusterrolebinding.rbac.authorization.k8s.io/view-nodes');
  await created(['pdb', 'api', '--selector=app=api', '--min-available=1'], 'poddisruptionbudget.policy/api');
  await created(['priorityclass', 'batch-low', '--value=100', '--description=batch work'], 'priorityclass.scheduling.k8s.io/batch-low');
  await created(['quota', 'small', '--hard=pods=5,cpu=2'], 'resourcequota/small');
  await created(['ingress', 'api', '--class=nginx', '--rule=api.example.com/*=api:80'], 'ingress.networking.k8s.io/api');

  const get = async (...args: string[]): Promise<Obj> => JSON.parse(await cluster.ok(inNs('get', ...args, '-o', 'json')));
  assert.deepEqual((await get('cm', 'app-config')).data, { level: '3', mode: 'fast' });
  assert.equal((await get('secret', 'app-secret')).data.password, Buffer.from('s3cret').toString('base64'));
  const deploy = await get('deploy', 'api');
  assert.equal(deploy.spec.replicas, 2);
  assert.deepEqual(deploy.spec.selector, { matchLabels: { app: 'api' } });
  assert.deepEqual(deploy.spec.template.spec.containers[0].ports, [{ containerPort: 8080, protocol: 'TCP' }]);
  assert.equal(deploy.spec.strategy.type, 'RollingUpdate');
  const svc = await get('svc', 'api');
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.deepEqual(svc.spec.ports, [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
  assert.deepEqual(svc.spec.selector, { app: 'api' });
  const nodePort = await get('svc', 'api-np');
  assert.equal(nodePort.spec.type, 'NodePort');
  assert.equal(nodePort.spec.externalTrafficPolicy, 'Cluster');
  assert.ok(nodePort.spec.ports[0].nodePort >= 30000 && nodePort.spec.ports[0].nodePort <= 32767);
  const job = await get('job', 'once');
  assert.deepEqual(job.spec.template.spec.containers[0].command, ['echo', 'hi']);
  assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  assert.equal(job.spec.backoffLimit, 6);
  const cronJob = await get('cronjob', 'every5');
  assert.equal(cronJob.spec.schedule, '*/5 * * * *');
  assert.equal(cronJob.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
  assert.equal((await get('ns', 'created-ns')).status.phase, 'Active');
  assert.equal((await get('sa', 'builder')).metadata.name, 'builder');
  assert.deepEqual((await get('role', 'pod-reader')).rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
  assert.deepEqual((await get('rolebinding', 'read-pods')).subjects, [
    { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' },
    { kind: 'ServiceAccount', name: 'builder', namespace: NS },
  ]);
  assert.deepEqual((await get('clusterrole', 'node-viewer')).rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }]);
  assert.deepEqual((await get('clusterrolebinding', 'view-nodes')).roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-viewer' });
  assert.equal((await get('pdb', 'api')).spec.minAvailable, 1);
  const pc = await get('priorityclass', 'batch-low');
  assert.equal(pc.value, 100);
  assert.equal(pc.description, 'batch work');
  assert.equal(pc.preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual((await get('quota', 'small')).spec.hard, { cpu: '2', pods: '5' });
  const ingress = await get('ingress', 'api');
  assert.equal(ingress.spec.ingressClassName, 'nginx');
  assert.deepEqual(ingress.spec.rules, [
    { host: 'api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } },
  ]);
});

test('kubectl run creates a pod', async () => {
  assert.equal((await cluster.ok(inNs('run', 'runner', '--image=nginx:1.25', '--labels=app=runner,tier=web', '--port=80'))).trim(), 'pod/runner created');
  const pod = JSON.parse(await cluster.ok(inNs('get', 'pod', 'runner', '-o', 'json')));
  assert.deepEqual(pod.metadata.labels, { app: 'runner', tier: 'web' });
  assert.deepEqual(pod.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.match(await cluster.ok(inNs('get', 'pod', 'runner')), row('runner', '0/1', 'Pending', '0', AGE));
});

test('kubectl scale, with and without a --current-replicas precondition', async () => {
  assert.equal((await cluster.ok(inNs('scale', 'deployment', 'api', '--replicas=3'))).trim(), 'deployment.apps/api scaled');
  assert.equal(await cluster.ok(inNs('get', 'deploy', 'api', '-o', 'jsonpath={.spec.replicas}')), '3');
  const mismatch = await cluster.kubectl(inNs('scale', 'deployment', 'api', '--current-replicas=2', '--replicas=4'));
  assert.notEqual(mismatch.code, 0);
  assert.match(mismatch.stderr, /Expected replicas to be 2, was 3/);
  assert.equal(await cluster.ok(inNs('get', 'deploy', 'api', '-o', 'jsonpath={.spec.replicas}')), '3');
  assert.equal((await cluster.ok(inNs('scale', 'deployment', 'api', '--current-replicas=3', '--replicas=1'))).trim(), 'deployment.apps/api scaled');
  const scale = JSON.parse(await cluster.ok(['get', '--raw', `/apis/apps/v1/namespaces/${NS}/deployments/api/scale`]));
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.apiVersion, 'autoscaling/v1');
  assert.equal(scale.spec.replicas, 1);
});

test('Events created in core/v1 and events.k8s.io/v1 are seen through both APIs', async () => {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const coreEvent = `apiVersion: v1
kind: Event
metadata: {name: runner.scheduled}
involvedObject: {kind: Pod, name: runner, namespace: ${NS}}
reason: Scheduled
message: Successfully assigned pod
type: Normal
source: {component: default-scheduler}
firstTimestamp: "${now}"
lastTimestamp: "${now}"
count: 1
`;
  const newEvent = `apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: runner.pulled}
eventTime: "${now.replace('Z', '.000000Z')}"
reportingController: kubelet
reportingInstance: node-1
action: Pulling
reason: Pulled
regarding: {kind: Pod, name: runner, namespace: ${NS}}
note: Image pulled
type: Normal
`;
  assert.equal((await cluster.ok(inNs('apply', '-f', '-'), { input: coreEvent })).trim(), 'event/runner.scheduled created');
  assert.equal((await cluster.ok(inNs('apply', '-f', '-'), { input: newEvent })).trim(), 'event.events.k8s.io/runner.pulled created');

  const coreTable = await cluster.ok(inNs('get', 'events'));
  assert.match(coreTable, header('LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'));
  assert.match(coreTable, row(AGE, 'Normal', 'Scheduled', 'pod/runner', 'Successfully assigned pod'));
  assert.match(coreTable, row(AGE, 'Normal', 'Pulled', 'pod/runner', 'Image pulled'));
  const newTable = await cluster.ok(inNs('get', 'events.events.k8s.io'));
  assert.match(newTable, header('LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'));
  assert.match(newTable, row(AGE, 'Normal', 'Scheduled', 'pod/runner', 'Successfully assigned pod'));
  assert.match(newTable, row(AGE, 'Normal', 'Pulled', 'pod/runner', 'Image pulled'));

  // Plain "events" resolves to the core group, as upstream's RESTMapper prefers it.
  const pulledAsCore = JSON.parse(await cluster.ok(inNs('get', 'events', 'runner.pulled', '-o', 'json')));
  assert.equal(pulledAsCore.apiVersion, 'v1');
  assert.equal(pulledAsCore.message, 'Image pulled');
  assert.equal(pulledAsCore.reportingComponent, 'kubelet');
  assert.deepEqual(pulledAsCore.involvedObject, { kind: 'Pod', name: 'runner', namespace: NS });
  const scheduledAsNew = JSON.parse(await cluster.ok(inNs('get', 'events.v1.events.k8s.io', 'runner.scheduled', '-o', 'json')));
  assert.equal(scheduledAsNew.apiVersion, 'events.k8s.io/v1');
  assert.equal(scheduledAsNew.note, 'Successfully assigned pod');
  assert.equal(scheduledAsNew.deprecatedCount, 1);
  assert.deepEqual(scheduledAsNew.deprecatedSource, { component: 'default-scheduler' });
  assert.deepEqual(scheduledAsNew.regarding, { kind: 'Pod', name: 'runner', namespace: NS });

  const byField = await cluster.ok(inNs('get', 'events', '--field-selector', 'reason=Pulled', '-o', 'name'));
  assert.equal(byField.trim(), 'event/runner.pulled');
  const byObject = await cluster.ok(inNs('get', 'events', '--field-selector', 'involvedObject.name=runner,involvedObject.kind=Pod', '-o', 'name'));
  // The scheduler reports on the pod "runner" too (FailedScheduling: this cluster has no nodes).
  const byObjectNames = byObject.trim().split('\n');
  assert.ok(byObjectNames.includes('event/runner.pulled') && byObjectNames.includes('event/runner.scheduled'), byObject);
});

test('a HorizontalPodAutoscaler written in autoscaling/v1 reads back in v2, and the other way', async () => {
  const v1 = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: api-v1}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 6
  targetCPUUtilizationPercentage: 70
`;
  assert.equal((await cluster.ok(inNs('apply', '-f', '-'), { input: v1 })).trim(), 'horizontalpodautoscaler.autoscaling/api-v1 created');
  const asV2 = JSON.parse(await cluster.ok(inNs('get', 'horizontalpodautoscalers.v2.autoscaling', 'api-v1', '-o', 'json')));
  assert.equal(asV2.apiVersion, 'autoscaling/v2');
  assert.deepEqual(asV2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  assert.equal(asV2.spec.minReplicas, 2);

  const v2 = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api-v2}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  maxReplicas: 4
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 55}}
`;
  assert.equal((await cluster.ok(inNs('apply', '-f', '-'), { input: v2 })).trim(), 'horizontalpodautoscaler.autoscaling/api-v2 created');
  const asV1 = JSON.parse(await cluster.ok(inNs('get', 'horizontalpodautoscalers.v1.autoscaling', 'api-v2', '-o', 'json')));
  assert.equal(asV1.apiVersion, 'autoscaling/v1');
  assert.equal(asV1.spec.targetCPUUtilizationPercentage, 55);
  assert.equal(asV1.spec.minReplicas, 1);
  assert.deepEqual(asV1.status, { currentReplicas: 0, desiredReplicas: 0 });

  const table = await cluster.ok(inNs('get', 'hpa'));
  assert.match(table, header('NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'));
  assert.match(table, row('api-v1', 'Deployment/api', 'cpu: <unknown>/70%', '2', '6', '0', AGE));
  assert.match(table, row('api-v2', 'Deployment/api', 'cpu: <unknown>/55%', '1', '4', '0', AGE));
  // A v1 apply of a changed manifest is a patch through the v1 view of the v2-stored object.
  assert.equal(
    (await cluster.ok(inNs('apply', '-f', '-'), { input: v1.replace('targetCPUUtilizationPercentage: 70', 'targetCPUUtilizationPercentage: 75') })).trim(),
    'horizontalpodautoscaler.autoscaling/api-v1 configured',
  );
  assert.equal(await cluster.ok(inNs('get', 'horizontalpodautoscalers.v2.autoscaling', 'api-v1', '-o', 'jsonpath={.spec.metrics[0].resource.target.averageUtilization}')), '75');
});

test('kubectl delete --dry-run=server reports the deletion and keeps the object', async () => {
  assert.equal((await cluster.ok(inNs('delete', 'configmap', 'app-config', '--dry-run=server'))).trim(), 'configmap "app-config" deleted (server dry run)');
  assert.equal(await cluster.ok(inNs('get', 'configmap', 'app-config', '-o', 'jsonpath={.metadata.name}')), 'app-config');
  assert.equal((await cluster.ok(inNs('delete', 'deployment', 'api', '--dry-run=server'))).trim(), 'deployment.apps "api" deleted (server dry run)');
  assert.equal(await cluster.ok(inNs('get', 'deployment', 'api', '-o', 'name')), 'deployment.apps/api\n');
});

test('label selectors, field selectors, -o name and --chunk-size pagination', async () => {
  for (let i = 1; i <= 5; i++) {
    await cluster.ok(inNs('create', 'configmap', `page-${i}`, `--from-literal=i=${i}`));
    await cluster.ok(inNs('label', 'configmap', `page-${i}`, 'paged=yes', `tier=${i % 2 === 0 ? 'even' : 'odd'}`));
  }
  const names = (out: string): string[] => out.trim().split('\n').filter(Boolean);
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '-l', 'paged=yes', '-o', 'name'))), [1, 2, 3, 4, 5].map((i) => `configmap/page-${i}`));
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '-l', 'tier=even', '-o', 'name'))), ['configmap/page-2', 'configmap/page-4']);
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '-l', 'paged=yes,tier!=even', '-o', 'name'))), ['configmap/page-1', 'configmap/page-3', 'configmap/page-5']);
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '-l', 'tier in (even)', '-o', 'name'))), ['configmap/page-2', 'configmap/page-4']);
  assert.ok(!names(await cluster.ok(inNs('get', 'cm', '-l', '!paged', '-o', 'name'))).some((name) => name.startsWith('configmap/page-')));
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '--field-selector', 'metadata.name=page-3', '-o', 'name'))), ['configmap/page-3']);
  assert.deepEqual(
    names(await cluster.ok(inNs('get', 'pods', '--field-selector', 'status.phase=Pending,metadata.name=runner', '-o', 'name'))),
    ['pod/runner'],
  );
  assert.equal((await cluster.ok(inNs('get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name'))).trim(), '');
  const unsupported = await cluster.kubectl(inNs('get', 'pods', '--field-selector', 'spec.bogus=x'));
  assert.notEqual(unsupported.code, 0);
  assert.match(unsupported.stderr, /field label not supported: spec\.bogus/);

  // Five items in pages of two: three list calls, one table, one header.
  const paged = await cluster.kubectl(inNs('get', 'cm', '-l', 'paged=yes', '--chunk-size=2', '-v=6'));
  assert.equal(paged.code, 0, paged.stderr);
  assert.equal(paged.stdout.match(/^NAME\s+DATA\s+AGE$/gm)?.length, 1, paged.stdout);
  assert.deepEqual(
    names(paged.stdout).slice(1).map((line) => line.split(/\s+/)[0]),
    [1, 2, 3, 4, 5].map((i) => `page-${i}`),
  );
  const listCalls = paged.stderr.match(/GET https:\/\/\S+\/configmaps\?\S*limit=2\S* 200 OK/g) ?? [];
  assert.equal(listCalls.length, 3, paged.stderr);
  assert.equal(listCalls.filter((call) => call.includes('continue=')).length, 2);
  assert.deepEqual(names(await cluster.ok(inNs('get', 'cm', '-l', 'paged=yes', '--chunk-size=2', '-o', 'name'))), [1, 2, 3, 4, 5].map((i) => `configmap/page-${i}`));
});

test('-o wide adds upstream\'s extra columns for pods, services and deployments', async () => {
  await cluster.ok(inNs('create', 'deployment', 'wide', '--image=nginx:1.25', '--replicas=2'));
  await cluster.ok(inNs('expose', 'deployment', 'wide', '--port=80', '--target-port=8080'));
  const pods = await cluster.ok(inNs('get', 'pod', 'runner', '-o', 'wide'));
  assert.match(pods, header('NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'));
  assert.match(pods, row('runner', '0/1', 'Pending', '0', AGE, '<none>', '<none>', '<none>', '<none>'));
  const svc = await cluster.ok(inNs('get', 'svc', 'wide', '-o', 'wide'));
  assert.match(svc, header('NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'));
  assert.match(svc, row('wide', 'ClusterIP', /10\.\d+\.\d+\.\d+/, '<none>', '80/TCP', AGE, 'app=wide'));
  const deploy = await cluster.ok(inNs('get', 'deploy', 'wide', '-o', 'wide'));
  assert.match(deploy, header('NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'));
  // UP-TO-DATE: the deployment controller creates the ReplicaSet and its (unscheduled) pods at once.
  assert.match(deploy, row('wide', '0/2', /[0-2]/, '0', AGE, 'nginx', 'nginx:1.25', 'app=wide'));
});

test('kubectl get all lists the "all" category across kinds', async () => {
  const all = await cluster.ok(inNs('get', 'all'));
  assert.match(all, header('NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'));
  assert.match(all, row('pod/runner', '0/1', 'Pending', '0', AGE));
  assert.match(all, row('service/wide', 'ClusterIP', /10\.\d+\.\d+\.\d+/, '<none>', '80/TCP', AGE));
  assert.match(all, row('deployment.apps/wide', '0/2', /[0-2]/, '0', AGE));
  assert.match(all, /^job\.batch\/once\s+Running\s+0\/1/m);
  // The CronJob fires when the run crosses a five-minute mark of the clock: then one Job is active.
  assert.match(all, row('cronjob.batch/every5', '*/5 * * * *', '<none>', 'False', /[01]/, /<none>|\d+s/, AGE));
  assert.match(all, /^horizontalpodautoscaler\.autoscaling\/api-v1\s+Deployment\/api/m);
  const names = (await cluster.ok(inNs('get', 'all', '-o', 'name'))).trim().split('\n');
  for (const name of ['pod/runner', 'service/wide', 'deployment.apps/wide', 'job.batch/once', 'cronjob.batch/every5']) assert.ok(names.includes(name), name);
  assert.ok(!names.some((name) => name.startsWith('configmap/')), 'configmaps are not in "all"');
});

test('a queuing PriorityLevelConfiguration without queuing parameters is refused as upstream does', async () => {
  const result = await cluster.kubectl(['apply', '-f', '-'], {
    input: 'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata: {name: no-queuing}\nspec:\n  type: Limited\n  limited:\n    limitResponse: {type: Queue}\n',
  });
  assert.notEqual(result.code, 0);
  assert.match(
    result.stderr,
    /The PriorityLevelConfiguration "no-queuing" is invalid: spec\.limited\.limitResponse\.queuing: Required value: must not be empty if limited\.limitResponse\.type is Limited/,
  );
});
