// What the node reports about its host: capacity from the machine, nodeInfo from the kernel,
// /etc/os-release and the OCI runtime, as upstream's cadvisor-based node status setters.
import { execFileSync } from 'node:child_process';
import { readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, release, totalmem } from 'node:os';
import type { NodeSystemInfo } from 'kubernetes-types/core/v1.js';
import { maxPods } from '../limits.js';

export const kubeletVersion = 'v1.32.0';
/** Reserved for the system, as upstream's default hard eviction threshold memory.available<100Mi. */
export const reservedMemoryBytes = 100 * 1024 * 1024;

/** Node's architecture names (GOARCH), from Node's. */
export function goArch(nodeArch = arch()): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

export function osImage(osRelease: string): string {
  const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease);
  return match?.[1] ?? 'Linux';
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** "runc://1.1.5": the runtime binary's own version line. */
export function runtimeVersion(name: string, binary: string): string {
  try {
    const out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 5_000 });
    const match = /version\s+v?([0-9][^\s]*)/i.exec(out);
    return `${name}://${match?.[1] ?? 'unknown'}`;
  } catch {
    return `${name}://unknown`;
  }
}

export interface HostResources {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
}

export function hostResources(dataDir: string): HostResources {
  const memory = totalmem();
  let storage = 0;
  try {
    const fs = statfsSync(dataDir);
    storage = fs.blocks * fs.bsize;
  } catch {
    storage = 0;
  }
  const cpu = String(cpus().length);
  const capacity = { cpu, memory: `${Math.floor(memory / 1024)}Ki`, pods: String(maxPods), 'ephemeral-storage': `${Math.floor(storage / 1024)}Ki`, 'hugepages-2Mi': '0' };
  // Upstream keeps back the hard eviction thresholds: 100Mi of memory and 10% of nodefs.
  const allocatable = {
    ...capacity,
    memory: `${Math.floor(Math.max(0, memory - reservedMemoryBytes) / 1024)}Ki`,
    'ephemeral-storage': String(Math.floor(storage * 0.9)),
  };
  return { capacity, allocatable };
}

export function nodeInfo(runtime: { name: string; binary: string }): NodeSystemInfo {
  return {
    machineID: readOrEmpty('/etc/machine-id'),
    systemUUID: readOrEmpty('/sys/class/dmi/id/product_uuid'),
    bootID: readOrEmpty('/proc/sys/kernel/random/boot_id'),
    kernelVersion: release(),
    osImage: osImage(readOrEmpty('/etc/os-release')),
    containerRuntimeVersion: runtimeVersion(runtime.name, runtime.binary),
    kubeletVersion,
    kubeProxyVersion: '',
    operatingSystem: 'linux',
    architecture: goArch(),
  };
}
