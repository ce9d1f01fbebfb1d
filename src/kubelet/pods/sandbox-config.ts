// The PodSandboxConfig for a pod: hostname, DNS from dnsPolicy, log directory, cgroup parent
// under its QoS class, host namespaces, and labels that tell a restarted agent whose it is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DnsConfig, PodSandboxConfig } from '../../runtime/cri/types.js';
import { labels } from '../context.js';
import { podCgroupParent } from './resources.js';

/** Upstream's limits on resolv.conf: more is refused or truncated by libc. */
export const maxDnsSearchPaths = 32;
export const maxDnsNameservers = 3;

export function parseResolvConf(text: string): DnsConfig {
  const config: DnsConfig = { servers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const [keyword, ...fields] = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (keyword === 'nameserver' && fields[0]) config.servers.push(fields[0]);
    else if (keyword === 'search' || keyword === 'domain') config.searches = fields;
    else if (keyword === 'options') config.options.push(...fields);
  }
  return config;
}

function hostDns(): DnsConfig {
  try {
    return parseResolvConf(readFileSync('/etc/resolv.conf', 'utf8'));
  } catch {
    return { servers: [], searches: [], options: [] };
  }
}

/**
 * dnsPolicy: Default and (until a cluster DNS exists) ClusterFirst use the host's resolv.conf;
 * None uses only spec.dnsConfig; dnsConfig is merged into the others.
 */
export function podDnsConfig(pod: Pod, host: () => DnsConfig = hostDns): DnsConfig {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const base: DnsConfig = policy === 'None' ? { servers: [], searches: [], options: [] } : host();
  const extra = pod.spec?.dnsConfig;
  const options = [...base.options];
  for (const option of extra?.options ?? []) {
    const text = option.value !== undefined ? `${option.name}:${option.value}` : option.name ?? '';
    const name = text.split(':')[0];
    const existing = options.findIndex((o) => o.split(':')[0] === name);
    if (existing >= 0) options[existing] = text;
    else options.push(text);
  }
  return {
    servers: [...new Set([...base.servers, ...(extra?.nameservers ?? [])])].slice(0, maxDnsNameservers),
    searches: [...new Set([...base.searches, ...(extra?.searches ?? [])])].slice(0, maxDnsSearchPaths),
    options,
  };
}

/** <data-dir>/log/pods/<ns>_<name>_<uid>, as upstream's /var/log/pods layout. */
export function podLogDirectory(dataDir: string, pod: Pod): string {
  const meta = pod.metadata ?? {};
  return join(dataDir, 'log', 'pods', `${meta.namespace}_${meta.name}_${meta.uid}`);
}

export function sandboxConfig(pod: Pod, dataDir: string, attempt: number): PodSandboxConfig {
  const meta = pod.metadata ?? {};
  const spec = pod.spec;
  return {
    metadata: { name: meta.name ?? '', namespace: meta.namespace ?? 'default', uid: meta.uid ?? '', attempt },
    hostname: (spec?.hostname ?? meta.name ?? '').slice(0, 63),
    logDirectory: podLogDirectory(dataDir, pod),
    dnsConfig: podDnsConfig(pod),
    portMappings: (spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => ({ protocol: (p.protocol ?? 'TCP') as 'TCP', containerPort: p.containerPort, hostPort: p.hostPort!, ...(p.hostIP ? { hostIp: p.hostIP } : {}) }))),
    labels: { [labels.podUid]: meta.uid ?? '', [labels.podName]: meta.name ?? '', [labels.podNamespace]: meta.namespace ?? '' },
    annotations: { ...meta.annotations },
    linux: {
      cgroupParent: podCgroupParent(pod),
      securityContext: {
        namespaceOptions: { network: spec?.hostNetwork ? 'NODE' : 'POD', pid: spec?.hostPID ? 'NODE' : spec?.shareProcessNamespace ? 'POD' : 'CONTAINER', ipc: spec?.hostIPC ? 'NODE' : 'POD' },
      },
    },
  };
}
