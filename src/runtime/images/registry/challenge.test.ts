import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChallenges } from './challenge.js';
import { credentialsFor, parseDockerConfig } from './credentials.js';

test('a Docker Hub bearer challenge parses into realm, service and scope', () => {
  const [challenge] = parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push"');
  assert.deepEqual(challenge, { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull,push' } });
  assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
});

test('docker config credentials match by host, and docker.io matches index.docker.io/v1/', () => {
  const config = parseDockerConfig(JSON.stringify({
    auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('hub:secret').toString('base64') },
      '127.0.0.1:5000': { username: 'alice', password: 'pw' },
    },
  }));
  assert.deepEqual(credentialsFor(config, 'docker.io'), { username: 'hub', password: 'secret' });
  assert.deepEqual(credentialsFor(config, '127.0.0.1:5000'), { username: 'alice', password: 'pw' });
  assert.equal(credentialsFor(config, 'ghcr.io'), undefined);
});

test('as the kubelet matches pull secrets: "*" host labels and path prefixes, the most specific first', () => {
  const config = parseDockerConfig(JSON.stringify({
    '*.example.com': { username: 'wild', password: 'w' },
    'registry.example.com/team': { username: 'team', password: 't' },
  }));
  assert.equal(credentialsFor(config, 'registry.example.com', 'team/app')?.username, 'team');
  assert.equal(credentialsFor(config, 'registry.example.com', 'other/app')?.username, 'wild');
  assert.equal(credentialsFor(config, 'a.b.example.com', 'x'), undefined, 'one label per *');
});
