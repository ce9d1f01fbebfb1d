// A pod sandbox as the runtime keeps it: the namespaces its containers share and the files
// (/etc/hosts, /etc/hostname, /etc/resolv.conf) bind-mounted into each of them.
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { PodSandboxConfig } from '../cri/types.js';

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  dir: string;
  /** Namespace files to join; absent when the pod uses the host's (hostNetwork, hostIPC). */
  netnsPath?: string;
  /** The name under /var/run/netns, for `ip netns` and CNI. */
  netnsName?: string;
  ipcPath?: string;
  /** Host pid of the init holding the pod's shared PID namespace (shareProcessNamespace). */
  pidHolder?: number;
  utsPath?: string;
  hostsFile: string;
  hostnameFile: string;
  resolvConfFile: string;
  cgroupParent: string;
  ip: string;
  additionalIps: string[];
  createdAtNs: number;
  state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
}

export async function saveSandbox(path: string, record: SandboxRecord): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(record, null, 1));
  await rename(`${path}.tmp`, path);
}

export function loadSandbox(path: string): SandboxRecord | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as SandboxRecord;
}
