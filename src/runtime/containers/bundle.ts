// The OCI spec of one container: the image's and the pod's process settings (Kubernetes' rules,
// see process.ts), the sandbox's namespaces and per-pod files, the pod's volumes as bind mounts,
// and its security context.
import type { ContainerConfig } from '../cri/types.js';
import type { ResolvedImage } from '../images/image-store.js';
import { bindMount, buildOciSpec, type OciSpec } from '../oci/spec.js';
import type { SandboxRecord } from '../sandbox/record.js';
import { resolveArgs, resolveEnv, type ResolvedUser } from './process.js';

export interface ContainerSpecInput {
  sandbox: SandboxRecord;
  config: ContainerConfig;
  image: ResolvedImage;
  /** The mounted overlayfs root. */
  rootfs: string;
  user: ResolvedUser;
  cgroupsPath: string;
}

export function containerSpec({ sandbox, config, image, rootfs, user, cgroupsPath }: ContainerSpecInput): OciSpec {
  const security = config.linux?.securityContext ?? {};
  const namespaces = security.namespaceOptions ?? {};
  return buildOciSpec({
    rootfs,
    readonlyRootfs: security.readonlyRootfs,
    args: resolveArgs(config, image.config),
    env: resolveEnv(config, image.config),
    cwd: config.workingDir || image.config.config?.WorkingDir || '/',
    uid: user.uid,
    gid: user.gid,
    additionalGids: user.additionalGids,
    terminal: false,
    hostname: sandbox.config.hostname ?? sandbox.config.metadata.name,
    namespaces: {
      network: namespaces.network === 'NODE' ? 'host' : sandbox.netnsPath ?? 'host',
      ipc: namespaces.ipc === 'NODE' ? 'host' : sandbox.ipcPath,
      uts: namespaces.network === 'NODE' ? 'host' : sandbox.utsPath,
      pid: namespaces.pid === 'NODE' ? 'host' : namespaces.pid === 'POD' && sandbox.pidHolder ? `/proc/${sandbox.pidHolder}/ns/pid` : undefined,
    },
    mounts: [
      // The kubelet may bring its own /etc/hosts (hostAliases, the pod's FQDN); containerd defers to it too.
      ...((config.mounts ?? []).some((m) => m.containerPath === '/etc/hosts') ? [] : [bindMount(sandbox.hostsFile, '/etc/hosts', { readOnly: security.readonlyRootfs })]),
      bindMount(sandbox.hostnameFile, '/etc/hostname', { readOnly: security.readonlyRootfs }),
      bindMount(sandbox.resolvConfFile, '/etc/resolv.conf', { readOnly: security.readonlyRootfs }),
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      ...(config.mounts ?? []).map((m) =>
        bindMount(m.hostPath, m.containerPath, { readOnly: m.readonly, propagation: m.propagation === 'bidirectional' ? 'rshared' : m.propagation === 'hostToContainer' ? 'rslave' : 'rprivate' }),
      ),
    ],
    privileged: security.privileged,
    capabilities: { add: security.capabilities?.addCapabilities, drop: security.capabilities?.dropCapabilities },
    noNewPrivileges: security.noNewPrivs,
    seccomp: security.seccompProfile,
    cgroupsPath,
    oomScoreAdj: config.linux?.resources?.oomScoreAdj,
  });
}
