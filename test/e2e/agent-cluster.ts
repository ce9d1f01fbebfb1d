// For e2e tests of the node agent: a private data dir with the busybox image already in the
// agent's image store, the network names the agent derives from that dir, and a clean-up that
// removes whatever a failed test may have left (netns, bridge, mounts, cgroups).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../src/runtime/images/image-store.js';
import { importImages } from '../../src/runtime/images/import.js';
import { buildBusyboxLayout } from '../../src/runtime/testing/busybox-layout.js';
import type { TestCluster } from './harness.js';

export interface AgentTestEnv {
  work: string;
  dataDir: string;
  /** The agent's bridge is k8ts<tag>, its netns k8ts-<tag>-…, as src/kubelet/kubelet.ts names them. */
  tag: string;
  podCidr: string;
}

const cgroupControllers = ['memory', 'cpu', 'cpuacct', 'pids', 'blkio', 'devices', 'freezer', 'cpuset', 'hugetlb', 'net_cls', 'perf_event'];

export function agentTestEnv(prefix: string): AgentTestEnv {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const dataDir = join(work, 'data');
  return {
    work,
    dataDir,
    tag: createHash('sha256').update(dataDir).digest('hex').slice(0, 6),
    podCidr: `10.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}.0/24`,
  };
}

/** Puts docker.io/library/busybox:latest (from Debian's busybox-static) in the agent's store. */
export async function importBusybox(env: AgentTestEnv): Promise<void> {
  const layout = join(env.work, 'busybox-layout');
  await buildBusyboxLayout(layout);
  const store = new ImageStore(join(env.dataDir, 'runtime', 'images'));
  await store.init();
  await importImages(store, layout, { name: 'busybox' });
}

/** Everything a pod's container wrote to its CRI log files on the node (all attempts), as plain text. */
export function containerLogText(dataDir: string, pod: { metadata: { namespace: string; name: string; uid: string } }, container: string): string {
  const dir = join(dataDir, 'log', 'pods', `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`, container);
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('')
    .split('\n')
    .map((line) => line.replace(/^\S+ (stdout|stderr) [PF] /, ''))
    .join('\n');
}

/** A static pod manifest `<data-dir>/manifests/static-web.yaml`: busybox sleeping, 1 s grace. */
export function writeStaticWebManifest(env: AgentTestEnv): void {
  mkdirSync(join(env.dataDir, 'manifests'), { recursive: true });
  const manifest = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n  - name: c\n    image: busybox\n    imagePullPolicy: IfNotPresent\n    command: [sleep, "3600"]\n';
  writeFileSync(join(env.dataDir, 'manifests', 'static-web.yaml'), manifest);
}

/** Deletes the pods (so the agent stops their containers), stops the server, then removes leftovers. */
export async function cleanUpAgentCluster(env: AgentTestEnv, cluster: TestCluster | undefined): Promise<void> {
  if (cluster) {
    await cluster.kubectl(['delete', 'pods', '--all', '--wait=true', '--timeout=60s']);
    // destroy: also removes a data dir the harness made (a server without an agent of its own).
    await cluster.destroy();
  }
  removeAgentLeftovers(env);
  rmSync(env.work, { recursive: true, force: true });
}

/** What an agent on env.dataDir may leave behind once stopped: netns, bridge, mounts, empty QoS cgroups. */
export function removeAgentLeftovers(env: Pick<AgentTestEnv, 'dataDir' | 'tag'>): void {
  for (const ns of existsSync('/var/run/netns') ? readdirSync('/var/run/netns') : []) {
    if (ns.startsWith(`k8ts-${env.tag}-`)) execFileSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
  }
  try {
    execFileSync('ip', ['link', 'delete', `k8ts${env.tag}`], { stdio: 'ignore' });
  } catch {
    // no bridge: nothing ran
  }
  try {
    execFileSync('nft', ['delete', 'table', 'ip', `k8ts${env.tag}`], { stdio: 'ignore' });
  } catch {
    // no masquerade table: the agent never opened its runtime
  }
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(env.dataDir)).reverse();
  for (const mount of mounts) execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
  // Empty QoS parents; another cluster's agent may be using them, and then rmdir fails harmlessly.
  for (const controller of cgroupControllers) {
    for (const qos of ['burstable', 'besteffort', '']) {
      try {
        rmdirSync(join('/sys/fs/cgroup', controller, 'k8ts', 'kubepods', qos));
      } catch {
        // in use or absent
      }
    }
  }
}
