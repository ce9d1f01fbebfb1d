// Drives the real kubectl against a throwaway HTTP server that serves these documents plus
// just enough discovery (/version, /api, /apis, resource lists) for kubectl to find them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateOpenApiSchemas } from '../../../scripts/gen-openapi.js';
import { builtinResources, groupVersions } from '../../api/resources/catalog.js';
import { setSchemasPathForTesting } from './schema-store.js';
import { serveOpenApi } from './http.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const KUBECTL_127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';
const scratch = mkdtempSync(join(tmpdir(), 'k8ts-openapi-kubectl-'));
setSchemasPathForTesting(generateOpenApiSchemas(join(scratch, 'schemas.json')));
after(() => rmSync(scratch, { recursive: true, force: true }));

const requests: string[] = [];

function discovery(pathname: string): unknown {
  if (pathname === '/version') return { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' };
  if (pathname === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (pathname === '/apis') {
    const groups = new Map<string, string[]>();
    for (const { group, version } of groupVersions()) if (group) groups.set(group, [...(groups.get(group) ?? []), version]);
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }
  const match = /^\/(?:api|apis\/([^/]+))\/([^/]+)$/.exec(pathname);
  if (!match) return undefined;
  const group = match[1] ?? '';
  const version = match[2]!;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: builtinResources
      .filter((info) => info.group === group && info.version === version)
      .map((info) => ({ name: info.resource, singularName: info.singularName, namespaced: info.namespaced, kind: info.kind, verbs: info.verbs, shortNames: info.shortNames })),
  };
}

const server: Server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  requests.push(`${req.method} ${url.pathname}${url.search}`);
  const answer = serveOpenApi(url.pathname, url.searchParams, { accept: req.headers.accept, ifNoneMatch: req.headers['if-none-match'] });
  if (answer) {
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return;
  }
  const body = discovery(url.pathname);
  if (body === undefined) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
});
const listening = new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
after(() => server.close());

async function kubectl(binary: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const port = await listening;
  const base = ['--server', `http://127.0.0.1:${port}`, '--cache-dir', join(scratch, `cache-${binary.replace(/\W/g, '')}`)];
  try {
    const { stdout, stderr } = await run(binary, [...base, ...args], { env: { ...process.env, KUBECONFIG: '/dev/null' } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

test('kubectl explain walks the v3 schemas', { skip: !existsSync(KUBECTL) }, async () => {
  const result = await kubectl(KUBECTL, ['explain', 'deployment.spec.strategy', '--api-version=apps/v1']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /GROUP:\s+apps/);
  assert.match(result.stdout, /KIND:\s+Deployment/);
  assert.match(result.stdout, /FIELD: strategy <DeploymentStrategy>/);
  assert.match(result.stdout, /rollingUpdate\s+<RollingUpdateDeployment>/);
  assert.match(result.stdout, /enum: Recreate, RollingUpdate/);
  const intOrString = await kubectl(KUBECTL, ['explain', 'deployment.spec.strategy.rollingUpdate.maxSurge']);
  assert.match(intOrString.stdout, /FIELD: maxSurge <IntOrString>/);
  const pods = await kubectl(KUBECTL, ['explain', 'pods.spec.containers.resources']);
  assert.match(pods.stdout, /limits\s+<map\[string\]Quantity>/);
});

test('kubectl detects server-side field validation from the PATCH parameters', { skip: !existsSync(KUBECTL) }, async () => {
  const manifest = join(scratch, 'deployment.yaml');
  writeFileSync(
    manifest,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec:\n  selector: {matchLabels: {app: web}}\n' +
      '  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n',
  );
  requests.length = 0;
  await kubectl(KUBECTL, ['create', '-f', manifest, '--validate=strict']);
  const post = requests.find((line) => line.startsWith('POST /apis/apps/v1/namespaces/default/deployments'));
  assert.ok(post, requests.join('\n'));
  assert.match(post, /fieldValidation=Strict/);
});

test('kubectl 1.27 reads the protobuf Swagger 2.0 document', { skip: !existsSync(KUBECTL_127) }, async () => {
  const result = await kubectl(KUBECTL_127, ['explain', 'deployment.spec.strategy', '--output=plaintext-openapiv2']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /RESOURCE: strategy <Object>/);
  assert.match(result.stdout, /rollingUpdate\t<Object>/);
});
