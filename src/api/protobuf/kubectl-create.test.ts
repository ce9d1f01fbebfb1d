// Oracle tests: the real kubectl 1.32 sends typed objects as protobuf; what we decode must
// equal what the same kubectl prints for `--dry-run=client -o json`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { skipWithoutKubectl as skip, withServer, type CapturedRequest, type FakeApiServer } from './kubectl-oracle.js';

function onlyProtobufWrite(server: FakeApiServer): CapturedRequest {
  const writes = server.takeWrites();
  assert.equal(writes.length, 1, `expected one write, got ${writes.map((w) => `${w.method} ${w.url}`).join(', ')}`);
  const write = writes[0]!;
  assert.equal(write.contentType, 'application/vnd.kubernetes.protobuf');
  assert.equal(write.decodeError, undefined);
  return write;
}

/** `kubectl <args>` must send protobuf that decodes to its own dry-run JSON. */
async function assertMatchesDryRun(args: string[]): Promise<void> {
  await withServer(async (server) => {
    // Flags must precede a `--` that starts the container command.
    const split = args.includes('--') ? args.indexOf('--') : args.length;
    const dryRun = [...args.slice(0, split), '--dry-run=client', '-o', 'json', ...args.slice(split)];
    const expected = JSON.parse(await server.kubectl(dryRun));
    server.takeWrites();
    await server.kubectl(args);
    assert.deepEqual(onlyProtobufWrite(server).decoded, expected);
  });
}

const CREATE_COMMANDS: string[][] = [
  ['create', 'deployment', 'web', '--image=nginx', '--replicas=3', '--port=80'],
  ['create', 'deployment', 'multi', '--image=nginx', '--image=busybox', '--replicas=0', '--namespace=team'],
  ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--from-literal=empty=', '--type=Opaque'],
  ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'],
  ['create', 'configmap', 'cm', '--from-literal=k=v', '--from-literal=x=y z'],
  ['create', 'namespace', 'ns1'],
  ['create', 'serviceaccount', 'sa1'],
  ['create', 'service', 'clusterip', 'cip', '--tcp=80:8080', '--tcp=443'],
  ['create', 'service', 'clusterip', 'headless', '--clusterip=None'],
  ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'],
  ['create', 'service', 'loadbalancer', 'lb', '--tcp=80:http'],
  ['create', 'service', 'externalname', 'ext', '--external-name=example.com'],
  ['create', 'job', 'j', '--image=busybox', '--', 'sh', '-c', 'echo hi'],
  ['create', 'cronjob', 'c', '--image=busybox', '--schedule=*/1 * * * *', '--restart=OnFailure', '--', 'date'],
  ['create', 'role', 'r', '--verb=get', '--verb=list', '--resource=pods', '--resource=deployments.apps', '--resource-name=x'],
  ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/healthz'],
  ['create', 'clusterrole', 'agg', '--aggregation-rule=rbac.example.com/aggregate=true'],
  ['create', 'rolebinding', 'rb', '--role=r', '--user=alice', '--group=devs', '--serviceaccount=default:sa1'],
  ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--user=bob'],
  ['create', 'poddisruptionbudget', 'pdb', '--selector=app=x', '--min-available=1'],
  ['create', 'poddisruptionbudget', 'pdb2', '--selector=app in (x,y)', '--max-unavailable=50%'],
  ['create', 'ingress', 'i', '--rule=foo.com/bar=svc:80', '--rule=tls.com/*=svc2:https,tls=cert', '--default-backend=def:8080', '--annotation=a=b', '--class=nginx'],
  ['create', 'priorityclass', 'pc', '--value=1000', '--global-default', '--description=top', '--preemption-policy=Never'],
  ['create', 'priorityclass', 'zero', '--value=0'],
  ['create', 'quota', 'q', '--hard=pods=10,requests.cpu=500m,requests.memory=1Gi', '--scopes=BestEffort'],
];

for (const args of CREATE_COMMANDS) {
  test(`kubectl ${args.join(' ')} decodes to its dry-run JSON`, { skip }, () => assertMatchesDryRun(args));
}

test('kubectl create token sends a TokenRequest', { skip }, () =>
  withServer(async (server) => {
    const args = ['create', 'token', 'default', '--audience=api', '--duration=1h', '--bound-object-kind=Pod', '--bound-object-name=p', '--bound-object-uid=u-1'];
    assert.equal((await server.kubectl(args)).trim(), 'fake-token');
    assert.deepEqual(onlyProtobufWrite(server).decoded, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { creationTimestamp: null },
      spec: { audiences: ['api'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u-1' } },
      status: { token: '', expirationTimestamp: null },
    });
  }),
);

test('kubectl autoscale sends an autoscaling/v1 HorizontalPodAutoscaler', { skip }, () =>
  withServer(async (server) => {
    server.objects.set('/apis/apps/v1/namespaces/default/deployments/web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const args = ['autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=50'];
    const expected = JSON.parse(await server.kubectl([...args, '--dry-run=client', '-o', 'json']));
    server.takeWrites();
    await server.kubectl(args);
    assert.deepEqual(onlyProtobufWrite(server).decoded, expected);
  }),
);

test('kubectl certificate approve sends the CSR with an Approved condition', { skip }, () =>
  withServer(async (server) => {
    const csr = {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      // A full ObjectMeta, read back by kubectl from our JSON: exercises the meta/v1 table.
      metadata: {
        name: 'csr1',
        generateName: 'csr-',
        uid: 'u-9',
        resourceVersion: '3',
        generation: 4,
        creationTimestamp: '2024-01-02T03:04:05Z',
        deletionTimestamp: '2024-01-03T00:00:00Z',
        deletionGracePeriodSeconds: 0,
        labels: { a: 'b' },
        annotations: { note: '' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'n-uid', controller: false }],
        finalizers: ['example.com/keep'],
        managedFields: [
          { manager: 'kubelet', operation: 'Update', apiVersion: 'certificates.k8s.io/v1', time: '2024-01-02T03:04:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:request': {} } } },
          { manager: 'kube-controller-manager', operation: 'Apply', apiVersion: 'certificates.k8s.io/v1', fieldsType: 'FieldsV1', fieldsV1: {}, subresource: 'status' },
        ],
      },
      spec: {
        request: Buffer.from('not really a CSR').toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        expirationSeconds: 600,
        usages: ['client auth', 'digital signature'],
        username: 'bob',
        uid: 'bob-uid',
        groups: ['system:authenticated'],
        extra: { scopes: ['a', 'b'] },
      },
      status: { certificate: Buffer.from('cert').toString('base64') },
    };
    server.objects.set('/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1', csr);
    await server.kubectl(['certificate', 'approve', 'csr1']);
    const decoded = onlyProtobufWrite(server).decoded as { status: { conditions: { lastUpdateTime: string }[] } };
    const [condition] = decoded.status.conditions;
    assert.match(condition!.lastUpdateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(decoded, {
      ...csr,
      status: {
        certificate: csr.status.certificate,
        conditions: [
          {
            type: 'Approved',
            status: 'True',
            reason: 'KubectlApprove',
            message: 'This CSR was approved by kubectl certificate approve.',
            lastUpdateTime: condition!.lastUpdateTime,
            lastTransitionTime: null,
          },
        ],
      },
    });
  }),
);

test('kubectl drain without eviction support deletes pods with protobuf DeleteOptions', { skip }, () =>
  withServer(async (server) => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } };
    server.objects.set('/api/v1/nodes/n1', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} });
    server.objects.set('/api/v1/pods', { apiVersion: 'v1', kind: 'PodList', metadata: {}, items: [pod] });
    await server.kubectl(['drain', 'n1', '--force', '--disable-eviction', '--grace-period=7', '--timeout=5s']);
    const deletes = server.takeWrites().filter((write) => write.method === 'DELETE');
    assert.equal(deletes.length, 1);
    assert.equal(deletes[0]!.contentType, 'application/vnd.kubernetes.protobuf');
    assert.deepEqual(deletes[0]!.decoded, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 7 });
  }),
);
