// Test support: a throwaway API server that answers just enough discovery for the real
// kubectl 1.32 and records the request bodies it sends, so tests can compare what our
// decoder makes of kubectl's protobuf with kubectl's own `--dry-run=client -o json`.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from './index.js';

export const KUBECTL_1_32 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

export interface CapturedRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  body: Buffer;
  /** The decoded body, or the error decoding threw. */
  decoded?: unknown;
  decodeError?: unknown;
}

type ResourceDef = [name: string, kind: string, namespaced: boolean, verbs?: string[], groupVersion?: string];
const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const RESOURCES: Record<string, ResourceDef[]> = {
  v1: [
    ['pods', 'Pod', true],
    ['pods/eviction', 'Eviction', true, ['create'], 'policy/v1'],
    ['pods/binding', 'Binding', true, ['create']],
    ['bindings', 'Binding', true, ['create']],
    ['configmaps', 'ConfigMap', true],
    ['secrets', 'Secret', true],
    ['services', 'Service', true],
    ['namespaces', 'Namespace', false],
    ['serviceaccounts', 'ServiceAccount', true],
    ['serviceaccounts/token', 'TokenRequest', true, ['create']],
    ['resourcequotas', 'ResourceQuota', true],
    ['endpoints', 'Endpoints', true],
    ['events', 'Event', true],
    ['nodes', 'Node', false],
    ['replicationcontrollers', 'ReplicationController', true],
    ['replicationcontrollers/scale', 'Scale', true, ['get', 'patch', 'update']],
    ['persistentvolumeclaims', 'PersistentVolumeClaim', true],
    ['limitranges', 'LimitRange', true],
  ],
  'apps/v1': [
    ['deployments', 'Deployment', true],
    ['deployments/scale', 'Scale', true, ['get', 'patch', 'update']],
    ['replicasets', 'ReplicaSet', true],
    ['replicasets/scale', 'Scale', true, ['get', 'patch', 'update']],
    ['statefulsets', 'StatefulSet', true],
    ['statefulsets/scale', 'Scale', true, ['get', 'patch', 'update']],
    ['daemonsets', 'DaemonSet', true],
  ],
  'batch/v1': [
    ['jobs', 'Job', true],
    ['cronjobs', 'CronJob', true],
  ],
  'autoscaling/v2': [['horizontalpodautoscalers', 'HorizontalPodAutoscaler', true]],
  'autoscaling/v1': [['horizontalpodautoscalers', 'HorizontalPodAutoscaler', true]],
  'policy/v1': [['poddisruptionbudgets', 'PodDisruptionBudget', true]],
  'rbac.authorization.k8s.io/v1': [
    ['roles', 'Role', true],
    ['rolebindings', 'RoleBinding', true],
    ['clusterroles', 'ClusterRole', false],
    ['clusterrolebindings', 'ClusterRoleBinding', false],
  ],
  'scheduling.k8s.io/v1': [['priorityclasses', 'PriorityClass', false]],
  'networking.k8s.io/v1': [
    ['ingresses', 'Ingress', true],
    ['ingressclasses', 'IngressClass', false],
    ['networkpolicies', 'NetworkPolicy', true],
  ],
  'certificates.k8s.io/v1': [
    ['certificatesigningrequests', 'CertificateSigningRequest', false],
    ['certificatesigningrequests/approval', 'CertificateSigningRequest', false, ['get', 'patch', 'update']],
  ],
  'coordination.k8s.io/v1': [['leases', 'Lease', true]],
  'authentication.k8s.io/v1': [['tokenreviews', 'TokenReview', false, ['create']]],
};

function resourceList(groupVersion: string, defs: ResourceDef[]): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: defs.map(([name, kind, namespaced, verbs, subresourceGroupVersion]) => {
      const [group, version] = subresourceGroupVersion?.split('/') ?? [];
      return { name, singularName: '', namespaced, kind, verbs: verbs ?? CRUD, ...(group && version ? { group, version } : {}) };
    }),
  };
}

function groupList(): unknown {
  const versionsByGroup = new Map<string, string[]>();
  for (const groupVersion of Object.keys(RESOURCES)) {
    const [group, version] = groupVersion.split('/');
    if (!version) continue;
    versionsByGroup.set(group!, [...(versionsByGroup.get(group!) ?? []), version]);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...versionsByGroup].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

/** What the fake server answers to a write: the decoded object, plus a token for TokenRequests. */
function writeAnswer(decoded: unknown): unknown {
  if (typeof decoded !== 'object' || decoded === null) return decoded;
  const object = decoded as { kind?: string; status?: unknown };
  if (object.kind === 'TokenRequest') return { ...object, status: { token: 'fake-token', expirationTimestamp: '2030-01-01T00:00:00Z' } };
  return object;
}

export class FakeApiServer {
  readonly requests: CapturedRequest[] = [];
  /** Objects GETs answer with, by URL path (query ignored). */
  readonly objects = new Map<string, unknown>();
  private server: Server | undefined;
  private cacheDir = mkdtempSync(join(tmpdir(), 'k8ts-kubectl-cache-'));
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
    rmSync(this.cacheDir, { recursive: true, force: true });
  }

  /** Writes captured since the last call. */
  takeWrites(): CapturedRequest[] {
    return this.requests.splice(0).filter((request) => request.method !== 'GET');
  }

  /** Runs kubectl 1.32 against this server; resolves with stdout, rejects with stderr. */
  kubectl(args: string[]): Promise<string> {
    const fullArgs = [`--server=${this.url}`, `--cache-dir=${this.cacheDir}`, '--kubeconfig=/dev/null', ...args];
    return new Promise((resolve, reject) => {
      execFile(KUBECTL_1_32, fullArgs, { timeout: 30_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout);
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const captured: CapturedRequest = { method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks) };
    this.requests.push(captured);
    const path = (req.url ?? '').split('?')[0]!;
    const send = (code: number, value: unknown): void => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'GET') {
      if (path === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
      if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
      if (path === '/apis') return send(200, groupList());
      if (path === '/api/v1') return send(200, resourceList('v1', RESOURCES.v1!));
      const groupVersion = path.startsWith('/apis/') ? path.slice('/apis/'.length) : '';
      if (RESOURCES[groupVersion]) return send(200, resourceList(groupVersion, RESOURCES[groupVersion]));
      if (this.objects.has(path)) return send(200, this.objects.get(path));
      return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
    }
    if (isKubernetesProtobuf(captured.contentType)) {
      try {
        captured.decoded = decodeKubernetesProtobuf(captured.body);
      } catch (error) {
        captured.decodeError = error;
        return send(400, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 400, message: String(error) });
      }
    } else if (captured.body.length > 0) captured.decoded = JSON.parse(captured.body.toString('utf8'));
    return send(req.method === 'POST' ? 201 : 200, writeAnswer(captured.decoded));
  }
}

/** Tests skip (with this reason) where kubectl 1.32 is not installed. */
export const skipWithoutKubectl = existsSync(KUBECTL_1_32) ? false : `${KUBECTL_1_32} is not installed`;

/** Runs `run` against a fresh FakeApiServer, stopping it afterwards whatever happens. */
export async function withServer(run: (server: FakeApiServer) => Promise<void>): Promise<void> {
  const server = new FakeApiServer();
  await server.start();
  try {
    await run(server);
  } finally {
    await server.stop();
  }
}
