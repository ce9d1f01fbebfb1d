import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { etcHostsMount, managedHostsContent } from './etc-hosts.js';

const pod = (spec: Partial<PodSpec>): Pod => ({ metadata: { name: 'web-0', namespace: 'shop', uid: 'u1' }, spec: { containers: [], ...spec } });

test('the managed hosts file names the pod, its FQDN with a subdomain, and the host aliases', () => {
  const content = managedHostsContent(pod({ subdomain: 'nginx', hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.3', hostnames: ['foo.remote'] }] }), ['10.244.0.5']);
  assert.equal(
    content,
    [
      '# Kubernetes-managed hosts file.',
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet',
      'fe00::0\tip6-mcastprefix',
      'fe00::1\tip6-allnodes',
      'fe00::2\tip6-allrouters',
      '10.244.0.5\tweb-0.nginx.shop.svc.cluster.local\tweb-0',
      '',
      '# Entries added by HostAliases.',
      '127.0.0.1\tfoo.local\tbar.local',
      '10.1.2.3\tfoo.remote',
      '',
    ].join('\n'),
  );
  assert.match(managedHostsContent(pod({ hostname: 'db' }), ['10.0.0.1']), /\n10\.0\.0\.1\tdb\n$/);
});

test('host-network pods get the node hosts file plus their aliases', () => {
  const content = managedHostsContent(pod({ hostNetwork: true, hostAliases: [{ ip: '1.2.3.4', hostnames: ['x'] }] }), ['192.168.1.2'], '127.0.0.1 localhost\n');
  assert.equal(content, '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n\n# Entries added by HostAliases.\n1.2.3.4\tx\n');
});

test('no managed file when the container mounts its own /etc/hosts or the pod has no IP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'etc-hosts-'));
  try {
    assert.equal(etcHostsMount(dir, pod({}), [], []), undefined);
    assert.equal(etcHostsMount(dir, pod({}), ['10.0.0.1'], [{ containerPath: '/etc/hosts', hostPath: '/x' }]), undefined);
    const mount = etcHostsMount(dir, pod({}), ['10.0.0.1'], []);
    assert.deepEqual(mount, { containerPath: '/etc/hosts', hostPath: join(dir, 'etc-hosts'), readonly: false });
    assert.match(readFileSync(join(dir, 'etc-hosts'), 'utf8'), /10\.0\.0\.1\tweb-0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
