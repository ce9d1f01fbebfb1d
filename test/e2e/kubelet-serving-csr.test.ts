// An agent joined with only a kubeconfig (a separate `k8ts agent` process, no CA key) gets its
// kubelet serving certificate through the certificates API: it asks with a kubelet-serving CSR,
// the controller manager's kubelet-serving approver and csrsigning issue it, and then `kubectl
// logs` and `kubectl exec` reach its pods. The controller manager runs as its own process with
// --cluster-signing-cert-file/--cluster-signing-key-file; with its kubelet-serving approver turned
// off the agent waits, says so, and is served after `kubectl certificate approve`. Also: a
// hand-made request is issued once approved, and a kubelet-serving request with a wrong CN fails.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { agentTestEnv, cleanUpAgentCluster, importBusybox, type AgentTestEnv } from './agent-cluster.js';
import { eventually, startCluster, startK8ts, type K8tsProcess, type TestCluster } from './harness.js';

const isRoot = process.getuid?.() === 0;
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let env: AgentTestEnv;
let cluster: TestCluster | undefined;
let agent: K8tsProcess | undefined;
let manager: K8tsProcess | undefined;

function startControllerManager(...extra: string[]): K8tsProcess {
  const tls = join(cluster!.dataDir, 'tls');
  return startK8ts(['controller-manager', '--kubeconfig', cluster!.kubeconfig, '--cluster-signing-cert-file', join(tls, 'ca.crt'), '--cluster-signing-key-file', join(tls, 'ca.key'), ...extra]);
}

function startAgent(): K8tsProcess {
  return startK8ts(['agent', '--kubeconfig', cluster!.kubeconfig, '--node-name', 'n2', '--data-dir', env.dataDir, '--kubelet-port', '0', '--pod-cidr', env.podCidr, '--node-ip', '127.0.0.1']);
}

async function servingCsrs(): Promise<any[]> {
  const list = await cluster!.json(['csr']);
  return (list?.items ?? []).filter((csr: any) => csr.spec.signerName === 'kubernetes.io/kubelet-serving' && csr.spec.username === 'kubernetes-admin');
}

/** A CSR object for an openssl-made request. */
function csrManifest(name: string, subject: string, signerName: string, usages: string[]): string {
  const key = join(env.work, `${name}.key`);
  execFileSync('openssl', ['ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', key]);
  const request = execFileSync('openssl', ['req', '-new', '-key', key, '-subj', subject, '-addext', 'subjectAltName=DNS:n2,IP:127.0.0.1']);
  return JSON.stringify({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name }, spec: { request: request.toString('base64'), signerName, usages } });
}

describe('kubelet serving certificates through CertificateSigningRequests', { skip: !isRoot && 'needs root' }, () => {
  before(async () => {
    env = agentTestEnv('k8ts-csr-');
    await importBusybox(env);
    cluster = await startCluster({ extraArgs: ['--disable-controller-manager'] });
    manager = startControllerManager();
    agent = startAgent();
  });

  after(async () => {
    await cluster?.kubectl(['delete', 'pods', '--all', '--wait=true', '--timeout=60s']);
    await agent?.stop();
    await manager?.stop();
    await cleanUpAgentCluster(env, cluster);
  });

  test('the agent asks with a kubelet-serving CSR that is approved and issued', async () => {
    const table = await cluster!.waitFor(['get', 'csr'], /kubernetes\.io\/kubelet-serving\s+kubernetes-admin\s+<none>\s+Approved,Issued/, 60_000);
    assert.match(table, /^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION\n/);
    const [csr] = await servingCsrs();
    assert.match(csr.metadata.name, /^csr-/);
    assert.deepEqual(csr.spec.usages, ['digital signature', 'server auth']);
    assert.equal(csr.status.conditions[0].reason, 'AutoApproved');
    const pem = Buffer.from(csr.status.certificate, 'base64').toString();
    if (hasOpenssl) {
      const text = execFileSync('openssl', ['x509', '-noout', '-subject', '-ext', 'subjectAltName,extendedKeyUsage'], { input: pem }).toString();
      assert.match(text, /subject=O = system:nodes, CN = system:node:n2/);
      assert.match(text, /DNS:n2, IP Address:127\.0\.0\.1/);
      assert.match(text, /TLS Web Server Authentication/);
    }
    // Kept on disk for the next start, key included, readable by root only; the key is never logged.
    const current = join(env.dataDir, 'pki', 'kubelet-server-current.pem');
    await eventually('the stored pair', async () => (existsSync(current) ? true : undefined));
    assert.equal(statSync(current).mode & 0o777, 0o600);
    assert.match(readFileSync(current, 'utf8'), /BEGIN PRIVATE KEY/);
    assert.doesNotMatch(agent!.output(), /PRIVATE KEY/);
  });

  test('kubectl logs and exec reach a pod on the agent', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'talk' }, spec: { nodeName: 'n2', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo hello from n2; sleep 3600'] }] } };
    await cluster!.ok(['create', '-f', '-'], { input: JSON.stringify(pod) });
    await cluster!.waitFor(['get', 'pod', 'talk', '-o', 'jsonpath={.status.phase}'], /^Running$/, 60_000);
    const logs = await eventually('kubectl logs', async () => {
      const result = await cluster!.kubectl(['logs', 'talk']);
      return result.code === 0 && result.stdout.includes('hello') ? result.stdout : undefined;
    });
    assert.equal(logs, 'hello from n2\n');
    assert.equal(await cluster!.ok(['exec', 'talk', '--', 'sh', '-c', 'echo $((6*7))']), '42\n');
  });

  test('a restarted agent reuses its stored certificate instead of asking again', async () => {
    const before = (await servingCsrs()).length;
    await agent!.stop();
    agent = startAgent();
    await eventually('the restarted agent serving logs', async () => {
      const result = await cluster!.kubectl(['logs', 'talk']);
      return result.code === 0 && agent!.output().includes('registered') ? true : undefined;
    }, 60_000);
    assert.equal((await servingCsrs()).length, before);
    assert.doesNotMatch(agent!.output(), /pending approval/);
  });

  test('with the kubelet-serving approver off the agent waits, says so, and is served once approved by hand', async () => {
    await manager!.stop();
    manager = startControllerManager('--controllers', '*,-kubelet-serving-approver');
    await agent!.stop();
    rmSync(join(env.dataDir, 'pki'), { recursive: true, force: true });
    agent = startAgent();
    const name = await eventually('the pending CSR in the agent log', async () => /CSR (csr-\w+) is pending approval \(approve it with: kubectl certificate approve \1\)/.exec(agent!.output())?.[1], 60_000);
    assert.match(await cluster!.ok(['get', 'csr', name]), /kubernetes\.io\/kubelet-serving\s+kubernetes-admin\s+<none>\s+Pending/);
    assert.notEqual((await cluster!.kubectl(['logs', 'talk'])).code, 0);
    await cluster!.ok(['certificate', 'approve', name]);
    await cluster!.waitFor(['get', 'csr', name], /Approved,Issued/);
    await eventually('logs through the newly served agent', async () => ((await cluster!.kubectl(['logs', 'talk'])).stdout === 'hello from n2\n' ? true : undefined), 30_000);
    assert.match(agent!.output(), /kubelet serving certificate: issued, valid until/);
  });

  test('kubectl certificate approve gets a hand-made request issued by csrsigning', { skip: !hasOpenssl && 'needs openssl' }, async () => {
    await cluster!.ok(['create', '-f', '-'], { input: csrManifest('alice', '/O=devs/CN=alice', 'kubernetes.io/kube-apiserver-client', ['client auth']) });
    assert.match(await cluster!.ok(['get', 'csr', 'alice']), /alice\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+kubernetes-admin\s+<none>\s+Pending/);
    assert.equal(await cluster!.ok(['certificate', 'approve', 'alice']), 'certificatesigningrequest.certificates.k8s.io/alice approved\n');
    await cluster!.waitFor(['get', 'csr', 'alice'], /Approved,Issued/);
    const pem = Buffer.from((await cluster!.json(['csr', 'alice'])).status.certificate, 'base64').toString();
    assert.match(execFileSync('openssl', ['x509', '-noout', '-subject'], { input: pem }).toString(), /O = devs, CN = alice/);
  });

  test('a kubelet-serving request whose CN is not system:node:<name> fails once approved', { skip: !hasOpenssl && 'needs openssl' }, async () => {
    await cluster!.ok(['create', '-f', '-'], { input: csrManifest('wrong-cn', '/O=system:nodes/CN=n2', 'kubernetes.io/kubelet-serving', ['digital signature', 'server auth']) });
    await cluster!.ok(['certificate', 'approve', 'wrong-cn']);
    await cluster!.waitFor(['get', 'csr', 'wrong-cn'], /Approved,Failed/);
    const failed = (await cluster!.json(['csr', 'wrong-cn'])).status.conditions.find((c: any) => c.type === 'Failed');
    assert.deepEqual([failed.reason, failed.message], ['SignerValidationFailure', 'subject common name does not begin with system:node:']);
  });
});
