// The kubelet-managed /etc/hosts, as upstream's managedHostsFileContent: written to
// <data-dir>/pods/<uid>/etc-hosts and bind-mounted over the runtime's default in every container,
// so it can carry the pod's FQDN (hostname.subdomain.namespace.svc.<domain>) and spec.hostAliases.
// hostNetwork pods get the node's /etc/hosts plus their aliases.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Mount } from '../../runtime/cri/types.js';
import { managedHostsHeader } from '../../runtime/sandbox/files.js';

/** The DNS domain of Services, kubeadm's and k3s's default. */
export const clusterDomain = 'cluster.local';
export const etcHostsPath = '/etc/hosts';

function aliasLines(pod: Pod): string[] {
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length === 0) return [];
  return ['', '# Entries added by HostAliases.', ...aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}`)];
}

export function managedHostsContent(pod: Pod, podIPs: readonly string[], hostHosts?: string): string {
  if (pod.spec?.hostNetwork) {
    const lines = ['# Kubernetes-managed hosts file (host network).', ...(hostHosts ?? '').replace(/\n$/, '').split('\n'), ...aliasLines(pod)];
    return lines.join('\n') + '\n';
  }
  const hostname = (pod.spec?.hostname || pod.metadata?.name || '').slice(0, 63);
  const lines = [...managedHostsHeader];
  const subdomain = pod.spec?.subdomain;
  const fqdn = subdomain ? `${hostname}.${subdomain}.${pod.metadata?.namespace ?? 'default'}.svc.${clusterDomain}` : '';
  for (const ip of podIPs) lines.push(fqdn ? `${ip}\t${fqdn}\t${hostname}` : `${ip}\t${hostname}`);
  return [...lines, ...aliasLines(pod)].join('\n') + '\n';
}

/**
 * Writes the pod's hosts file and returns the mount for it — none when the container mounts its
 * own /etc/hosts or the pod has no IP yet, as upstream.
 */
export function etcHostsMount(podDir: string, pod: Pod, podIPs: readonly string[], containerMounts: readonly Mount[]): Mount | undefined {
  if (podIPs.length === 0 || containerMounts.some((m) => m.containerPath === etcHostsPath)) return undefined;
  let hostHosts = '';
  if (pod.spec?.hostNetwork) {
    try {
      hostHosts = readFileSync('/etc/hosts', 'utf8');
    } catch {
      // a host without /etc/hosts: the aliases alone
    }
  }
  mkdirSync(podDir, { recursive: true });
  const file = join(podDir, 'etc-hosts');
  writeFileSync(file, managedHostsContent(pod, podIPs, hostHosts), { mode: 0o644 });
  return { containerPath: etcHostsPath, hostPath: file, readonly: false };
}
