// The per-pod files every container of the pod sees: /etc/hostname, /etc/hosts (the kubelet
// may rewrite it with hostAliases; the runtime writes the default) and /etc/resolv.conf from the
// pod's DNS config, or the host's when the pod has none.
import { readFileSync } from 'node:fs';
import type { DnsConfig } from '../cri/types.js';

/** The lines every pod's /etc/hosts starts with (upstream kubelet's managed hosts file). */
export const managedHostsHeader: readonly string[] = [
  '# Kubernetes-managed hosts file.',
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'fe00::0\tip6-mcastprefix',
  'fe00::1\tip6-allnodes',
  'fe00::2\tip6-allrouters',
];

export function hostsFile(hostname: string, ip: string): string {
  const lines = [...managedHostsHeader];
  if (ip) lines.push(`${ip}\t${hostname}`);
  return lines.join('\n') + '\n';
}

export function resolvConf(dns: DnsConfig | undefined, hostResolvConf = '/etc/resolv.conf'): string {
  if (!dns || (dns.servers.length === 0 && dns.searches.length === 0 && dns.options.length === 0)) {
    try {
      return readFileSync(hostResolvConf, 'utf8');
    } catch {
      return '';
    }
  }
  const lines: string[] = [];
  if (dns.searches.length > 0) lines.push(`search ${dns.searches.join(' ')}`);
  for (const server of dns.servers) lines.push(`nameserver ${server}`);
  if (dns.options.length > 0) lines.push(`options ${dns.options.join(' ')}`);
  return lines.join('\n') + '\n';
}
