// Builds an OCI runtime spec (config.json) for one container from already-resolved settings:
// the process, the root filesystem, the namespaces it joins, its mounts and its security
// profile. Resource limits are not here: the runtime sets them on the container's own cgroup,
// one level above the OCI runtime's (see ../cgroups), so they outlive the OCI container and the
// runtime can tell an OOM kill after the fact.
import { allCapabilities, defaultCapabilities, maskedPaths, readonlyPaths, standardMounts, type OciMount } from './defaults.js';
import { runtimeDefaultSeccomp, type SeccompProfile } from './seccomp.js';

export type NamespaceType = 'pid' | 'network' | 'ipc' | 'uts' | 'mount' | 'cgroup';

export interface OciSpecInput {
  rootfs: string;
  readonlyRootfs?: boolean;
  args: string[];
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  additionalGids?: number[];
  terminal?: boolean;
  hostname?: string;
  /** Namespaces to join by path; a type that is absent gets a new namespace, 'host' none at all. */
  namespaces?: Partial<Record<NamespaceType, string | 'host'>>;
  mounts?: OciMount[];
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  noNewPrivileges?: boolean;
  seccomp?: 'RuntimeDefault' | 'Unconfined';
  /** Relative to each cgroup hierarchy root, e.g. "/k8ts/pod<uid>/<container>/main". */
  cgroupsPath: string;
  oomScoreAdj?: number;
  annotations?: Record<string, string>;
  sysctl?: Record<string, string>;
}

export interface OciSpec {
  ociVersion: string;
  process: Record<string, unknown>;
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: OciMount[];
  annotations?: Record<string, string>;
  linux: Record<string, unknown> & { namespaces: { type: NamespaceType; path?: string }[]; seccomp?: SeccompProfile };
}

/** "CAP_NET_ADMIN" from Kubernetes' "NET_ADMIN"; "ALL" stays. */
export function capabilityName(name: string): string {
  const upper = name.toUpperCase();
  return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/** Kubernetes' rule: drop first (ALL drops everything), then add (ALL adds everything). */
export function effectiveCapabilities(input: Pick<OciSpecInput, 'privileged' | 'capabilities'>): string[] {
  if (input.privileged) return [...allCapabilities];
  const drop = (input.capabilities?.drop ?? []).map(capabilityName);
  const add = (input.capabilities?.add ?? []).map(capabilityName);
  let caps = drop.includes('ALL') ? [] : defaultCapabilities.filter((cap) => !drop.includes(cap));
  if (add.includes('ALL')) caps = [...allCapabilities];
  else for (const cap of add) if (!caps.includes(cap)) caps.push(cap);
  return caps;
}

export function buildOciSpec(input: OciSpecInput): OciSpec {
  const caps = effectiveCapabilities(input);
  const namespaceTypes: NamespaceType[] = ['pid', 'network', 'ipc', 'uts', 'mount'];
  const namespaces: { type: NamespaceType; path?: string }[] = [];
  for (const type of namespaceTypes) {
    const setting = input.namespaces?.[type];
    if (setting === 'host') continue;
    namespaces.push(setting ? { type, path: setting } : { type });
  }
  const hostNetwork = input.namespaces?.network === 'host';
  const linux: OciSpec['linux'] = {
    namespaces,
    cgroupsPath: input.cgroupsPath,
    // Resources live on the parent cgroup; the OCI container's own gets none.
    resources: { devices: [{ allow: input.privileged === true, access: 'rwm' }] },
    ...(input.sysctl && Object.keys(input.sysctl).length > 0 ? { sysctl: input.sysctl } : {}),
  };
  if (!input.privileged) {
    linux.maskedPaths = [...maskedPaths];
    linux.readonlyPaths = [...readonlyPaths];
    if (input.seccomp !== 'Unconfined') linux.seccomp = runtimeDefaultSeccomp();
  }
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: input.terminal === true,
      user: { uid: input.uid, gid: input.gid, ...(input.additionalGids?.length ? { additionalGids: input.additionalGids } : {}) },
      args: input.args,
      env: input.env,
      cwd: input.cwd || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: input.noNewPrivileges === true,
      ...(input.oomScoreAdj !== undefined ? { oomScoreAdj: input.oomScoreAdj } : {}),
    },
    root: { path: input.rootfs, readonly: input.readonlyRootfs === true },
    ...(input.hostname && input.namespaces?.uts !== 'host' ? { hostname: input.hostname } : {}),
    // A host-network container may not mount a fresh sysfs read-write over the host's view.
    mounts: [...standardMounts({ readOnlySys: !input.privileged || hostNetwork }), ...(input.mounts ?? [])],
    ...(input.annotations ? { annotations: input.annotations } : {}),
    linux,
  };
}

/** A bind mount in OCI form; `rbind` so submounts (e.g. of a hostPath) come along. */
export function bindMount(source: string, destination: string, options: { readOnly?: boolean; propagation?: 'rprivate' | 'rslave' | 'rshared' } = {}): OciMount {
  return { destination, type: 'bind', source, options: ['rbind', options.propagation ?? 'rprivate', options.readOnly ? 'ro' : 'rw'] };
}
