import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import { defaulters } from './index.js';
import { defaultPullPolicy, parseImageReference } from './image.js';

function defaulted(kind: string, obj: KubeObject): any {
  const defaulter = defaulters[kind];
  assert.ok(defaulter, `no defaulter for ${kind}`);
  defaulter(obj);
  return obj;
}

describe('Pod defaults', () => {
  it('fills the PodSpec, container and Pod-only defaults of a minimal pod', () => {
    const pod = defaulted('Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    });
    assert.deepEqual(pod.spec, {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          resources: {},
        },
      ],
      enableServiceLinks: true,
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
    });
  });

  it('keeps what the user set', () => {
    const pod = defaulted('Pod', {
      spec: {
        restartPolicy: 'Never',
        dnsPolicy: 'Default',
        terminationGracePeriodSeconds: 0,
        enableServiceLinks: false,
        containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'Never' }],
      },
    });
    assert.equal(pod.spec.restartPolicy, 'Never');
    assert.equal(pod.spec.dnsPolicy, 'Default');
    assert.equal(pod.spec.terminationGracePeriodSeconds, 0);
    assert.equal(pod.spec.enableServiceLinks, false);
    assert.equal(pod.spec.containers[0].imagePullPolicy, 'Never');
  });

  it('copies limits into missing requests for pods only', () => {
    const container = () => ({
      name: 'c',
      image: 'app:v1',
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
    });
    const pod = defaulted('Pod', { spec: { containers: [container()], initContainers: [container()] } });
    assert.deepEqual(pod.spec.containers[0].resources.requests, { cpu: '100m', memory: '128Mi' });
    assert.deepEqual(pod.spec.initContainers[0].resources.requests, { cpu: '100m', memory: '128Mi' });

    const template = defaulted('PodTemplate', { template: { spec: { containers: [container()] } } });
    assert.deepEqual(template.template.spec.containers[0].resources.requests, { cpu: '100m' });
    assert.equal(template.template.spec.enableServiceLinks, undefined);
  });

  it('defaults probes, their handlers and lifecycle hooks', () => {
    const pod = defaulted('Pod', {
      spec: {
        containers: [
          {
            name: 'c',
            image: 'app:v1',
            livenessProbe: { httpGet: { port: 8080 } },
            readinessProbe: { grpc: { port: 9000 }, periodSeconds: 5 },
            startupProbe: { tcpSocket: { port: 80 }, failureThreshold: 30 },
            lifecycle: { preStop: { httpGet: { port: 80, path: '/quit' } } },
          },
        ],
      },
    });
    const c = pod.spec.containers[0];
    assert.deepEqual(c.livenessProbe, {
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.deepEqual(c.readinessProbe.grpc, { port: 9000, service: '' });
    assert.equal(c.readinessProbe.periodSeconds, 5);
    assert.equal(c.startupProbe.failureThreshold, 30);
    assert.deepEqual(c.lifecycle.preStop.httpGet, { port: 80, path: '/quit', scheme: 'HTTP' });
  });

  it('defaults env fieldRef apiVersion and volume sources', () => {
    const pod = defaulted('Pod', {
      spec: {
        containers: [
          { name: 'c', image: 'app:v1', env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] },
        ],
        volumes: [
          { name: 'scratch' },
          { name: 'cfg', configMap: { name: 'cfg' } },
          { name: 'sec', secret: { secretName: 's', defaultMode: 256 } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          {
            name: 'token',
            projected: {
              sources: [
                { serviceAccountToken: { path: 'token' } },
                { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
              ],
            },
          },
          { name: 'host', hostPath: { path: '/var/log' } },
          { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
        ],
      },
    });
    assert.equal(pod.spec.containers[0].env[0].valueFrom.fieldRef.apiVersion, 'v1');
    const [scratch, cfg, sec, info, token, host, eph] = pod.spec.volumes;
    assert.deepEqual(scratch, { name: 'scratch', emptyDir: {} });
    assert.equal(cfg.configMap.defaultMode, 420);
    assert.equal(sec.secret.defaultMode, 256);
    assert.equal(info.downwardAPI.defaultMode, 420);
    assert.equal(info.downwardAPI.items[0].fieldRef.apiVersion, 'v1');
    assert.equal(token.projected.defaultMode, 420);
    assert.equal(token.projected.sources[0].serviceAccountToken.expirationSeconds, 3600);
    assert.equal(token.projected.sources[1].downwardAPI.items[0].fieldRef.apiVersion, 'v1');
    assert.deepEqual(host.hostPath, { path: '/var/log', type: '' });
    assert.equal(eph.ephemeral.volumeClaimTemplate.spec.volumeMode, 'Filesystem');
  });

  it('gives host-network pods host ports and syncs serviceAccount', () => {
    const pod = defaulted('Pod', {
      spec: {
        hostNetwork: true,
        serviceAccount: 'builder',
        containers: [{ name: 'c', image: 'app:v1', ports: [{ containerPort: 53, protocol: 'UDP' }] }],
      },
    });
    assert.equal(pod.spec.containers[0].ports[0].hostPort, 53);
    assert.equal(pod.spec.serviceAccountName, 'builder');
    assert.equal(pod.spec.serviceAccount, 'builder');
  });

  it('is idempotent', () => {
    const once = defaulted('Pod', { spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'v' }] } });
    const twice = defaulted('Pod', structuredClone(once));
    assert.deepEqual(twice, once);
  });
});

describe('image pull policy', () => {
  it('is Always for latest or untagged images', () => {
    assert.equal(defaultPullPolicy('nginx'), 'Always');
    assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
    assert.equal(defaultPullPolicy('registry.example.com:5000/team/app'), 'Always');
  });
  it('is IfNotPresent for tags, digests and unparsable references', () => {
    assert.equal(defaultPullPolicy('nginx:1.27'), 'IfNotPresent');
    assert.equal(defaultPullPolicy('registry.example.com:5000/team/app:v2'), 'IfNotPresent');
    assert.equal(defaultPullPolicy(`nginx@sha256:${'a'.repeat(64)}`), 'IfNotPresent');
    assert.equal(defaultPullPolicy('Nginx'), 'IfNotPresent');
    assert.equal(defaultPullPolicy(''), 'IfNotPresent');
    assert.equal(defaultPullPolicy(undefined), 'IfNotPresent');
  });
  it('parses tag and digest together', () => {
    assert.deepEqual(parseImageReference(`busybox:1.36@sha256:${'b'.repeat(64)}`), {
      name: 'busybox',
      tag: '1.36',
      digest: `sha256:${'b'.repeat(64)}`,
    });
  });
});
