import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { serviceEnvVars, servicesForPod } from './service-env.js';

const svc = (name: string, clusterIP: string, ports: ServicePort[], namespace = 'app'): Service => ({ metadata: { name, namespace }, spec: { clusterIP, ports } });

test('a Service gives _SERVICE_HOST, _SERVICE_PORT(_NAME) and docker-link _PORT variables', () => {
  const env = serviceEnvVars([svc('my-web', '10.96.0.20', [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }])]);
  assert.deepEqual(Object.fromEntries(env), {
    MY_WEB_SERVICE_HOST: '10.96.0.20',
    MY_WEB_SERVICE_PORT: '80',
    MY_WEB_SERVICE_PORT_HTTP: '80',
    MY_WEB_PORT: 'tcp://10.96.0.20:80',
    MY_WEB_PORT_80_TCP: 'tcp://10.96.0.20:80',
    MY_WEB_PORT_80_TCP_PROTO: 'tcp',
    MY_WEB_PORT_80_TCP_PORT: '80',
    MY_WEB_PORT_80_TCP_ADDR: '10.96.0.20',
    MY_WEB_PORT_53_UDP: 'udp://10.96.0.20:53',
    MY_WEB_PORT_53_UDP_PROTO: 'udp',
    MY_WEB_PORT_53_UDP_PORT: '53',
    MY_WEB_PORT_53_UDP_ADDR: '10.96.0.20',
  });
});

test('headless Services give nothing', () => {
  assert.equal(serviceEnvVars([svc('h', 'None', [{ port: 80 }])]).size, 0);
});

test('the kubernetes Service is always there; the namespace’s only with enableServiceLinks', () => {
  const master = svc('kubernetes', '10.96.0.1', [{ name: 'https', port: 443 }], 'default');
  const own = [svc('db', '10.96.0.9', [{ port: 5432 }])];
  assert.deepEqual(servicesForPod('app', true, own, master).map((s) => s.metadata?.name), ['db', 'kubernetes']);
  assert.deepEqual(servicesForPod('app', false, own, master).map((s) => s.metadata?.name), ['kubernetes']);
  assert.equal(serviceEnvVars(servicesForPod('app', false, own, master)).get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
});
